"""Web workspace tests: Django settings for this folder only, a throwaway data home, optional PostgreSQL.

SQLite (in memory) by default. ``FAIRPROCURE_TEST_DATABASE_URL=postgresql://...`` runs against a
server you have; ``FAIRPROCURE_TEST_POSTGRES=start`` starts a private cluster from the Debian
packages in a temporary directory for the run.
"""

from __future__ import annotations

import os
import tempfile

from web.postgres_cluster import start_cluster

# Under pytest-xdist (scripts/test.sh) each worker inherits the controller's environment: it gets a
# data home of its own, and shares the controller's cluster (pytest-django gives each worker its own
# test database in it; Django's settings are read from the inherited URL before this file runs).
worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if worker or "FAIRPROCURE_HOME" not in os.environ:
    os.environ["FAIRPROCURE_HOME"] = tempfile.mkdtemp(prefix=f"fairprocure-web-test-{worker}")
os.environ.setdefault("FAIRPROCURE_SECRET_KEY", "test-only-secret-key-0123456789")
os.environ.setdefault("FAIRPROCURE_DASHBOARD_WARM", "0")  # on in one test (test_dashboard): seconds saved
if os.environ.get("FAIRPROCURE_TEST_DATABASE_URL"):
    os.environ["FAIRPROCURE_DATABASE_URL"] = os.environ["FAIRPROCURE_TEST_DATABASE_URL"]
elif os.environ.get("FAIRPROCURE_TEST_POSTGRES") == "start" and not os.environ.get(
    "FAIRPROCURE_TEST_POSTGRES_ROOT"
):
    os.environ["FAIRPROCURE_DATABASE_URL"] = start_cluster()
os.environ["DJANGO_SETTINGS_MODULE"] = "fairprocure.web.settings"

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402


def pytest_configure(config):
    """In pytest-xdist's controller (``tests/web`` given on the command line, as the PostgreSQL pass does),
    Django is set up above for this process only: the workers it starts inherit its environment, and
    pytest-django would set Django up in each of them from the inherited settings module before this
    file runs, with the controller's data home, shared by every worker (their screenings' work folders,
    numbered by each worker's own database, collided). Without it, each worker runs this file first and
    gets its own home; the database URL and the cluster are still inherited."""
    if getattr(config.option, "numprocesses", None):
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Argon2 is the production hasher (tested in test_security); tests use a fast one."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rolled-back tests reuse ids, so the dashboard's kept figures (keyed by the newest ids) go."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def jobs_in_this_thread(settings):
    """Jobs run in the test's own thread, so a test can replace the engine (``fake_engine``);
    the job process itself is tested in test_jobs.py, the browser tests and the fault test."""
    settings.SCREENINGS_IN_CHILD = False


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around a module's tests, rolled back at its end: what a module-scoped fixture
    builds in it once, every test of the module sees, and each test's own changes roll back to it (the
    ``db`` fixture's atomic block becomes a savepoint inside this one). For fixtures that many
    parametrised tests share (test_permission_matrix: about 1,300 tests over one world). The autouse
    fixtures above are per test, so what they set is set here too for the module's own setup."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, SCREENINGS_IN_CHILD=False),
    ):
        yield
        transaction.set_rollback(True)
