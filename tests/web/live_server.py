"""``fairprocure serve`` as a user starts it, for the browser, fault and API-schema tests.

A workspace home in a temporary folder (SQLite), provisioned in one Python process, a server on a
free local port that the test can stop (or kill) and start again on the same home.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import cache
from pathlib import Path

FAIRPROCURE = str(Path(sys.executable).with_name("fairprocure"))
PASSWORD = "a long enough password"


def environment(home: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return env | {
        "FAIRPROCURE_HOME": str(home),
        "FAIRPROCURE_PASSWORD": PASSWORD,
        "FAIRPROCURE_SECRET_KEY": "live-server-test",
    }


def provision(home: Path, script: str, timeout: float = 300) -> str:
    """Run ``script`` with Django set up on ``home`` (migrated); returns what it prints."""
    prelude = (
        "from fairprocure.web import setup\nsetup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + script],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@cache
def _template() -> Path:
    """A workspace database migrated once in this test process."""
    home = Path(tempfile.mkdtemp(prefix="fairprocure-migrated-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    provision(home, "")
    return home / "workspace.sqlite3"


def migrated(home: Path) -> Path:
    """``home`` with its workspace database already migrated, returned for the caller to use.

    Migrating a database from nothing takes about 14 CPU-seconds (68 migrations); every live-server
    test starts from a new home, so each test process migrates one template once and copies it. The
    CLI and the server still run ``migrate`` on start, which then finds the schema current.
    """
    shutil.copyfile(_template(), home / "workspace.sqlite3")
    return home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One ``fairprocure serve`` process on ``home``; ``start``, ``kill`` (SIGKILL) and ``stop``."""

    def __init__(self, home: Path, *args: str, env: dict | None = None) -> None:
        self.home, self.args, self.extra = home, args, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = home / "server.log"

    def start(self, timeout: float = 60) -> Server:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [FAIRPROCURE, "serve", "--port", str(self.port), *self.args],
                env=environment(self.home) | self.extra,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # closed at once: a connection left open would hold a worker's graceful stop
                urllib.request.urlopen(self.url + "/login/", timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}") from None
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """``kill -9``: no clean-up of any kind."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def runner_processes(home: Path) -> list[int]:
    """Live processes working for ``home`` (the server, its screening fork server and jobs)."""
    found = []
    marker = f"FAIRPROCURE_HOME={home}".encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if marker in environ and state != "Z":
            found.append(int(pid))
    return found
