"""The grievance channel through the public pages and the focal points' pages (Django test client):
anonymous intake in Russian, follow-up with the code and secret, a focal point's reply read by the
reporter, triage and a finding; the reporter's contact and words are in no table in clear, in no audit
record, and in no page or API answer for any role but focal points."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from fairprocure.web.accounts.models import ApiToken
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.grievances import ratelimit, services
from fairprocure.web.grievances.models import Case
from web.due_diligence_helpers import contract
from web.workspace_helpers import office, user

CONTACT = "+992 93 555 0147 Dilnoza"
ACCOUNT = "Охранникам третий месяц не платят зарплату, паспорта забрал бригадир."


@pytest.fixture
def world(db):
    ratelimit.INTAKE.reset()
    ratelimit.FOLLOW.reset()
    here = office("tj-dushanbe", "TJK")
    return {
        "office": here,
        "guards": contract(here, "SEC-2026-01", "security", "Shield Guarding LLC"),
        "focal": user("olga", "focal_point", "tj-dushanbe"),
        "buyer": user("rustam", "procurement_officer", "tj-dushanbe"),
        "admin": user("admin", "administrator"),
        "boss": user("boss", "management"),
        "auditor": user("auditor", "auditor"),
    }


def _report(client, **extra):
    data = {"lang": "ru", "topic": "pay", "account": ACCOUNT, "workplace": "Объект «Щит», Душанбе",
            "office": "tj-dushanbe", "anonymous": "no", "contact": CONTACT} | extra  # fmt: skip
    response = client.post("/report/", data)
    assert response.status_code == 200, response.content[:500]
    html = response.content.decode()
    code = re.search(r'id="case-code">([^<]+)<', html).group(1)
    secret = re.search(r'id="case-secret">([^<]+)<', html).group(1)
    return html, code, secret


def test_public_page_needs_no_account_speaks_russian_and_has_no_script(client, world):
    response = client.get("/report/?lang=ru")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Расскажите, что происходит на вашей работе" in html
    assert "<script" not in html and " style=" not in html and "onchange" not in html
    assert 'name="viewport"' in html and "csrfmiddlewaretoken" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_public_page_is_open_to_a_signed_in_supplier_account_too(client, world):
    client.force_login(user("agency-account", "supplier"))
    assert client.get("/report/?lang=ru").status_code == 200
    assert client.get("/grievances/").status_code == 403


def test_report_follow_and_read_the_focal_points_reply(client, world):
    html, code, secret = _report(client)
    assert "Ваш код обращения" in html
    case = Case.objects.get()
    assert case.code == code and case.language == "ru" and not case.anonymous
    assert secret not in json.dumps(list(Case.objects.values()), default=str)  # only its digest is kept
    assert services.open_case(code, "WRONG-SECRET") is None

    services.acknowledge(case, world["focal"], "Мы получили ваше сообщение и свяжемся с вами.")
    services.reply(case, world["focal"], "Сколько человек не получают зарплату?")
    response = client.post(
        "/report/follow/", {"lang": "ru", "code": code.lower().replace("-", " "), "secret": secret}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Сколько человек не получают зарплату?" in page and "получено и подтверждено" in page
    client.post(
        "/report/follow/", {"lang": "ru", "code": code, "secret": secret, "message": "Четырнадцать человек."}
    )
    assert [m["text"] for m in services.thread(case)][-1] == "Четырнадцать человек."
    assert client.post("/report/follow/", {"code": code, "secret": "nope"}).status_code == 403


def test_intake_is_rate_limited_without_keeping_the_address(client, world, settings):
    for _ in range(5):
        _report(client)
    assert client.post("/report/", {"topic": "pay", "account": "x"}).status_code == 429
    remembered = " ".join(ratelimit.INTAKE._hits)
    assert "127.0.0.1" not in remembered


def _scan_every_table(needles: list[str]) -> list[str]:
    """Every text value of every row of every table of the database, searched for ``needles``."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row if v is not None)
                found += [f"{table}: {n}" for n in needles if n in text]
    return found


def test_contact_and_words_are_in_no_table_no_audit_record_and_no_other_roles_page(client, world):
    _html, code, secret = _report(client)
    case = Case.objects.get()
    focal = world["focal"]
    services.acknowledge(case, focal, "Получено.")
    services.triage(
        case, focal, immediate_danger=True, contract=world["guards"], note="Связаться по телефону"
    )
    finding = services.to_finding(
        case, focal, title="Wages unpaid for three months; documents held by a supervisor", severity="critical",
        indicators=["withholding_of_wages", "retention_of_identity_documents"],
    )  # fmt: skip
    needles = [CONTACT, "Dilnoza", "паспорта забрал", "Связаться по телефону", secret]
    assert _scan_every_table(needles) == []
    audit = json.dumps(
        list(AuditEvent.objects.values("actor", "action", "target", "details")), ensure_ascii=False
    )
    assert not [n for n in [*needles, code] if n in audit]

    # The focal point reads it all; nobody else reads any of it.
    client.force_login(focal)
    page = client.get(f"/grievances/{case.pk}/").content.decode()
    assert CONTACT in page and "паспорта забрал" in page and "referral-guidance" in page
    for role in ("buyer", "admin", "boss", "auditor"):
        client.force_login(world[role])
        assert client.get(f"/grievances/{case.pk}/").status_code == 403
        assert client.get("/grievances/").status_code == 403
        token = ApiToken.issue(world[role])
        for url in ("/api/grievances", f"/api/grievances/{case.pk}", "/api/monitoring/interviews"):
            assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 403
        # Every reader of the office sees the finding, in the focal point's words only.
        seen = client.get(f"/findings/{finding.pk}/")
        text = seen.content.decode()
        assert seen.status_code == 200 and "documents held by a supervisor" in text
        assert not [n for n in needles if n in text]
        assert f"/grievances/{case.pk}/" not in text
        api = client.get(f"/api/findings/{finding.pk}", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 200 and not [n for n in needles if n in api.content.decode()]
        for export in ("/register/export.csv", "/register/export.xlsx", "/audit/", "/api/audit"):
            response = client.get(export, headers={"Authorization": f"Bearer {token}"})
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert not [n for n in needles if n.encode() in body]


def test_referral_needs_consent_and_the_directory_guides_danger(client, world):
    _report(client, danger="on")
    case = Case.objects.get()
    focal = world["focal"]
    police = services.save_contact(focal, country="Tajikistan", kind="police", name="Anti-trafficking unit",
                                   phone="102")  # fmt: skip
    with pytest.raises(ValueError, match="consent"):
        services.refer(focal, case=case, recipient=police, consent=False)
    referral = services.refer(focal, case=case, recipient=police, consent=True, consent_note="by phone")
    assert referral.recipient_name == "Anti-trafficking unit" and referral.office == world["office"]
    client.force_login(focal)
    page = client.get(f"/grievances/{case.pk}/").content.decode()
    assert "referral-guidance" in page and "Anti-trafficking unit" in page
    client.force_login(world["buyer"])
    assert client.get("/grievances/referrals/").status_code == 403
    assert "Anti-trafficking unit" in client.get("/grievances/directory/").content.decode()


def test_key_rotation_reseals_every_record_and_old_keys_still_open_until_dropped(world, monkeypatch):
    from cryptography.fernet import Fernet

    from fairprocure.web import confidential

    old = Fernet.generate_key().decode()
    monkeypatch.setenv(confidential.ENV, old)
    case, _secret = services.submit(language="en", topic="pay", account="Unpaid overtime", contact="555-0100")
    sealed_before = Case.objects.get().contact_sealed
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(confidential.ENV, f"{new},{old}")
    assert services.clear(case)["contact"] == "555-0100"  # the old key still opens it
    assert confidential.rotate_all() >= 1
    monkeypatch.setenv(confidential.ENV, new)  # the old key dropped
    case.refresh_from_db()
    assert case.contact_sealed != sealed_before and services.clear(case)["contact"] == "555-0100"
    monkeypatch.setenv(confidential.ENV, Fernet.generate_key().decode())  # a wrong key opens nothing
    with pytest.raises(confidential.SealError, match="restore the key file"):
        services.clear(case)


def test_the_key_file_is_made_once_outside_the_database_readable_by_its_owner_only(tmp_path, monkeypatch):
    from fairprocure.web import confidential

    monkeypatch.delenv(confidential.ENV, raising=False)
    monkeypatch.setenv("FAIRPROCURE_HOME", str(tmp_path))
    sealed = confidential.seal("Дилноза")
    key = tmp_path / "confidential.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert confidential.unseal(sealed) == "Дилноза" and "Дилноза" not in sealed
    assert confidential.unseal(confidential.seal("again")) == "again" and len(key.read_text().split()) == 1


def _raw_files_containing(root: Path, needles: dict[str, bytes]) -> dict[str, list[str]]:
    """For each needle, the files under ``root`` (read as raw bytes) that hold it."""
    found: dict[str, list[str]] = {name: [] for name in needles}
    for path in root.rglob("*"):
        if not path.is_file() or path.name.endswith((".pid", ".opts")):
            continue
        try:
            data = path.read_bytes()
        except OSError:  # a file the server removed while we walked
            continue
        for name, needle in needles.items():
            if needle in data:
                found[name].append(str(path.relative_to(root)))
    return found


def test_the_contact_is_in_no_postgresql_data_file_wal_or_server_log(client, transactional_db):
    """The PostgreSQL run: the cluster's own files (tables, indexes, TOAST, write-ahead log, server log)
    read byte by byte after a checkpoint. Committed transactions (not the rolled-back test transaction),
    so everything the server keeps is on disk."""
    root = os.environ.get("FAIRPROCURE_TEST_POSTGRES_ROOT")
    if connection.vendor != "postgresql" or not root:
        pytest.skip("reads the cluster's files: runs with FAIRPROCURE_TEST_POSTGRES=start (scripts/test.sh)")
    ratelimit.INTAKE.reset()
    here = office("tj-khujand", "TJK")
    guards = contract(here, "SEC-PG-07", "security", "Citadel Guarding Khujand LLC")
    focal = user("nigora", "focal_point", "tj-khujand")
    _html, _code, secret = _report(client, office="tj-khujand")
    case = Case.objects.get()
    services.acknowledge(case, focal, "Получено.")
    services.reply(case, focal, "Где вы работаете сейчас?")
    services.triage(case, focal, immediate_danger=True, contract=guards, note="Звонить только вечером")
    services.to_finding(case, focal, title="Guards unpaid for three months (Khujand)", severity="critical")
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # dirty pages to the table files; the WAL is already written
    words = (CONTACT, "Dilnoza", "паспорта забрал", "Звонить только вечером", "Где вы работаете", secret)
    secrets = {text: text.encode() for text in words}  # the cluster is UTF8 (initdb -E UTF8)
    controls = {
        "finding title": b"Guards unpaid for three months (Khujand)",
        "supplier": b"Citadel Guarding Khujand",
    }
    found = _raw_files_containing(Path(root), secrets | controls)
    # Controls: the reading works (clear text the application keeps is found in the table files and WAL).
    assert found["finding title"] and found["supplier"], found
    leaked = {name: files for name, files in found.items() if name in secrets and files}
    assert not leaked, f"in the PostgreSQL cluster's files: {leaked}"
