#!/usr/bin/env bash
# Install fairprocure with every extra into .venv and run the whole test suite.
# On a fresh Debian machine run as root, it also installs the system components the tests drive:
# PostgreSQL (web app on PostgreSQL), Chromium (browser tests), a Java runtime (Spark), and Pango with
# DejaVu fonts (WeasyPrint's PDF of the annual report).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
  # WeasyPrint (the annual report's PDF) needs Pango, and Cyrillic needs a font that has it.
  ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

[ -d .venv ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[test,web,spark]'

ruff check src tests bench
ruff format --check src tests bench
# One worker process per CPU (pytest-xdist, "worksteal" hands queued tests to an idle worker);
# tests/conftest.py deals the tests that start a server out to the head of each worker's first block, so
# they run side by side. On this 2-core machine, quiet, the SQLite pass took 823-917 s with two workers
# on 2026-12-01, and as long with three (817-921 s); four were slower (1,572 s), one process 2,216 s
# (docs/performance.md, "Test suite"). PYTEST_WORKERS=N overrides; 0 runs everything in one process.
cpus=$(nproc 2>/dev/null || echo 2)
workers=(-n "${PYTEST_WORKERS:-$cpus}" --dist worksteal)
# Everything, the web app on SQLite (its default) and the browser test included; the slowest tests
# are listed at the end (docs/performance.md, "Test suite", keeps CI's time in view):
python -m pytest -q -p no:cacheprovider "${workers[@]}" --durations=25 "$@"
# The web app again on PostgreSQL, one worker per CPU: the controller's fixture starts one cluster from the
# Debian packages and each worker gets a test database in it and a data home of its own (tests/web/conftest.py;
# until 2026-11-30 the workers of this pass shared the controller's home, and with four their screenings'
# work folders collided; three workers, measured after that fix, were slower than two).
# The tests that start `fairprocure serve` themselves (browser, fault, API schema) run once, above.
FAIRPROCURE_TEST_POSTGRES=start python -m pytest -q -p no:cacheprovider "${workers[@]}" tests/web -m "not live_server" --ignore-glob='tests/web/test_browser*.py'
