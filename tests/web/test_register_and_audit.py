"""Risk decisions on a line's page, the original score kept, every decision in the append-only audit log."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from fairprocure.web.audit.models import AppendOnlyError, AuditEvent
from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.register.models import Line
from web.workspace_helpers import office, register_table, screen_into, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)
    client.force_login(user("focal", "focal_point", "A"))
    return client


def test_a_focal_point_lowers_a_risk_with_a_justification_and_the_original_stays(focal):
    line = Line.objects.get(line_id="L0")
    response = focal.post(
        f"/register/lines/{line.pk}/", {"level": "medium", "justification": "Audited in 2025."}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.level, line.risk_level, line.risk_score) == ("medium", "high", 70.0)
    page = focal.get(f"/register/lines/{line.pk}/").content.decode()
    assert "Original screening: high, score 70.0" in page and "Audited in 2025." in page
    event = AuditEvent.objects.get(action="risk.lower")
    assert (event.actor, event.details["line_id"], event.details["original_score"]) == ("focal", "L0", 70.0)
    # what it was about, in words: supplier, description, value, where it came from
    assert event.target == 'Supplier 0: "cotton uniforms batch 0", 1,000.00 EUR — ledger.csv row 2'
    assert event.details["supplier"] == "Supplier 0" and event.details["file"] == "ledger.csv"


def test_a_decision_without_justification_is_refused(focal):
    line = Line.objects.get(line_id="L0")
    response = focal.post(f"/register/lines/{line.pk}/", {"level": "low", "justification": "  "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    line.refresh_from_db()
    assert line.decided_level == "" and not AuditEvent.objects.filter(action__startswith="risk.").exists()


def test_confirming_keeps_the_level_and_is_logged_as_a_confirmation(focal):
    line = Line.objects.get(line_id="L1")
    focal.post(f"/register/lines/{line.pk}/", {"level": "low", "justification": "Checked the supplier."})
    assert AuditEvent.objects.filter(action="risk.confirm", details__line_id="L1").count() == 1


def test_raising_a_risk_moves_it_on_the_dashboard(focal):
    before = sum(c.lines for c in CellStat.objects.filter(level="critical"))
    line = Line.objects.get(line_id="L1")
    focal.post(f"/register/lines/{line.pk}/", {"level": "critical", "justification": "Grievance received."})
    assert sum(c.lines for c in CellStat.objects.filter(level="critical")) == before + 1


def test_the_page_shows_every_factor_with_evidence_and_source(focal):
    line = Line.objects.get(line_id="L0")
    page = focal.get(f"/register/lines/{line.pk}/").content.decode()
    factors = page[page.index('id="factors"') :]
    for text in ("Category", "garments", "taxonomy", "Country of origin", "BGD", "ILAB TVPRA 2022"):
        assert text in factors


def test_the_audit_log_cannot_be_changed_or_deleted(focal):
    event = AuditEvent.objects.first()
    event.actor = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(actor="x")


def test_the_register_filters_searches_and_sorts(focal):
    page = focal.get("/register/?level=high&sort=value").content.decode()
    assert "cotton uniforms batch 3" in page and "office paper" not in page
    assert page.index("batch 3") < page.index("batch 0")  # larger value first
    found = focal.get("/register/?q=paper 4").content.decode()
    assert "office paper 4" in found and "cotton" not in found


def test_exports_hold_the_filtered_lines(focal):
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(focal.get("/register/export.csv?level=high").streaming_content).decode())
        )
    )
    assert sorted(r["line_id"] for r in rows) == ["L0", "L3"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(focal.get("/register/export.xlsx").streaming_content)))
    assert book.active.max_row == 7


def test_a_role_change_is_audited():
    office("A")
    person = user("buyer", "procurement_officer", "A")
    person.membership.role = "focal_point"
    person.membership._changed_by = "admin"
    person.membership.save()
    event = AuditEvent.objects.filter(action="permission.changed").get()
    assert (event.actor, event.target, event.details["role"]) == ("admin", "buyer", "focal_point")
