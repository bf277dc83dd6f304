"""Provisioning without a browser: offices, users, tokens, and importing a real file."""

from __future__ import annotations

import shutil
from importlib import import_module
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection

from fairprocure.cli import main
from fairprocure.web.accounts.models import ApiToken
from fairprocure.web.register.models import Line

pytestmark = pytest.mark.django_db(transaction=True)
REAL_FILE = Path(__file__).resolve().parents[2] / "src/fairprocure/demo/uk_contracts_finder_releases.jsonl"
TRIGGERS = import_module("fairprocure.web.audit.migrations.0002_append_only_triggers")


@pytest.fixture(scope="module", autouse=True)
def audit_triggers_back_after_the_module(django_db_blocker):
    """Put the audit log's triggers back for the tests after this module (see below)."""
    yield
    with django_db_blocker.unblock():
        TRIGGERS.create(None, connection.schema_editor())


@pytest.fixture(autouse=True)
def audit_triggers_lifted_for_the_flush(transactional_db):
    """After a transactional test Django empties every table, with DELETE on SQLite, which the audit
    log's triggers refuse (as they should): lift them for that flush only."""
    yield
    TRIGGERS.drop(None, connection.schema_editor())


def run(*args, env=None, input=None):
    result = CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_offices_users_and_tokens_from_the_command_line(client):
    assert (
        run(
            "offices",
            "add",
            "tj-dushanbe",
            "--name",
            "Programme Office in Dushanbe",
            "--country",
            "Tajikistan",
        )[0]
        == 0
    )
    code, out = run(
        "users",
        "add",
        "olga",
        "--role",
        "focal_point",
        "--office",
        "tj-dushanbe",
        input="a long enough password\n",
    )
    assert code == 0 and "olga added as focal_point" in out
    code, token = run("users", "token", "olga")
    token = token.strip()
    assert code == 0 and token.startswith("fp_") and not ApiToken.objects.filter(digest=token).exists()
    offices = client.get("/api/offices", headers={"Authorization": f"Bearer {token}"}).json()
    assert offices == [{"code": "tj-dushanbe", "name": "Programme Office in Dushanbe", "country": "TJK"}]
    assert run("users", "token", "olga", "--revoke")[0] == 0
    assert client.get("/api/offices", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_errors_say_what_to_do():
    code, out = run(
        "users",
        "add",
        "ivan",
        "--role",
        "procurement_officer",
        "--office",
        "nowhere",
        env={"FAIRPROCURE_PASSWORD": "a long enough password"},
    )
    assert code != 0 and "no office 'nowhere'" in out and "fairprocure offices add" in out
    code, out = run("offices", "add", "x", "--name", "X", "--country", "Atlantis")
    assert code != 0 and "unknown country 'Atlantis'" in out


def test_importing_a_real_file_twice_screens_it_once(tmp_path):
    run("offices", "add", "uk", "--name", "UK", "--country", "GBR")
    path = tmp_path / REAL_FILE.name
    shutil.copy(REAL_FILE, path)
    code, out = run("import", str(path), "--office", "uk")
    assert code == 0, out
    count = Line.objects.filter(office__code="uk").count()
    assert count > 100 and f"{count} lines screened" in out
    code, out = run("import", str(path), "--office", "uk")
    assert code == 0 and "nothing duplicated" in out
    assert Line.objects.filter(office__code="uk").count() == count


def test_import_takes_the_period_and_the_screening_a_corrected_file_replaces(tmp_path):
    from fairprocure.web.screenings.models import Screening

    run("offices", "add", "uk", "--name", "UK", "--country", "GBR")
    header = "Transaction number,Supplier,Description,Amount,Currency,Date\n"
    rows = ["T-1,Clean Co,office cleaning,800,EUR,2025-01-15\n", "T-2,Paper Ltd,paper,90,EUR,2025-01-20\n"]
    (tmp_path / "january").mkdir()
    first = tmp_path / "january" / "export.csv"
    first.write_text(header + "".join(rows), encoding="utf-8")
    code, out = run("import", str(first), "--office", "uk")
    assert code == 0 and "2025-01" in out, out
    january = Screening.objects.get(office__code="uk")
    corrected = tmp_path / "export.csv"
    corrected.write_text(header + rows[0], encoding="utf-8")
    code, out = run(
        "import", str(corrected), "--office", "uk", "--period", "2025-01", "--replaces", str(january.pk)
    )
    assert code == 0, out
    assert "1 of its lines left the register" in out
    assert list(Line.objects.filter(office__code="uk", current=True).values_list("line_id", flat=True)) == [
        "T-1"
    ]
