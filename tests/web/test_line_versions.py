"""Lines keep their identity across uploads: periods add up, a newer version is in force, and replacing a
screening by a corrected file is an explicit, audited act. Screened by the real library (stub classifier)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.register.current import SupersedeError, supersede
from fairprocure.web.register.models import Line
from fairprocure.web.screenings.jobs import run_pending
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.uploads import accept
from web.workspace_helpers import library_engine, office, user

pytestmark = pytest.mark.django_db

HEADER = "Transaction number,Supplier,Description,Amount,Currency,Date\n"
JANUARY = HEADER + (
    "T-1,Fresh Catering Ltd,catering services staff canteen,1200,EUR,2025-01-10\n"
    "T-2,Clean Co,office cleaning services,800,EUR,2025-01-15\n"
    "T-3,Paper Ltd,printing paper,90,EUR,2025-01-20\n"
)
FEBRUARY = HEADER + (
    "T-4,Fresh Catering Ltd,catering services staff canteen,1250,EUR,2025-02-10\n"
    "T-5,Guard Co,security guarding night shifts,3000,EUR,2025-02-12\n"
)


@pytest.fixture(autouse=True)
def engine(monkeypatch):
    library_engine(monkeypatch)


def upload(office_obj, text: str, name: str = "export.csv", actor: str = "buyer", period=None) -> Screening:
    screening, _ = accept(io.BytesIO(text.encode()), name, office_obj, actor, period=period)
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "done", screening.message
    return screening


def register(office_obj) -> dict[str, str]:
    """The register now: line id -> description."""
    return dict(Line.objects.filter(office=office_obj, current=True).values_list("line_id", "description"))


def test_january_then_february_of_the_same_file_name_keeps_both_periods():
    a = office("A")
    january = upload(a, JANUARY)
    february = upload(a, FEBRUARY)
    assert sorted(register(a)) == ["T-1", "T-2", "T-3", "T-4", "T-5"]
    assert (january.period_start, january.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    with translation.override("en"):
        assert (february.period, january.period) == ("February 2025", "January 2025")
    assert (february.period_code, january.period_code) == ("2025-02", "2025-01")


def test_uploading_january_again_changes_nothing_whether_the_same_bytes_or_a_re_export():
    a = office("A")
    january = upload(a, JANUARY)
    upload(a, FEBRUARY)
    again, created = accept(io.BytesIO(JANUARY.encode()), "export.csv", a, "buyer")
    assert (again.pk, created) == (january.pk, False)
    columns_moved = "Date,Currency,Amount,Description,Supplier,Transaction number\n" + "".join(
        ",".join(reversed(row.split(","))) + "\n" for row in JANUARY.splitlines()[1:]
    )
    reexport = upload(a, columns_moved, name="january again.csv")
    now = Line.objects.filter(office=a, current=True)
    assert sorted(register(a)) == ["T-1", "T-2", "T-3", "T-4", "T-5"]  # nothing wiped, nothing doubled
    assert set(now.filter(line_id__in=["T-1", "T-2", "T-3"]).values_list("screening", flat=True)) == {
        reexport.pk
    }
    old = Line.objects.get(screening=january, line_id="T-2")
    assert not old.current and old.fingerprint == now.get(line_id="T-2").fingerprint  # same content


def test_a_newer_period_wins_and_an_older_one_uploaded_later_does_not_come_back():
    a = office("A")
    upload(a, JANUARY)
    year_to_date = JANUARY.replace(
        "T-2,Clean Co,office cleaning services,800", "T-2,Clean Co,office cleaning,850"
    )
    year_to_date += FEBRUARY.split("\n", 1)[1]
    ytd = upload(a, year_to_date, name="ytd.csv")
    with translation.override("en"):
        assert ytd.period == "January – February 2025"
    assert ytd.period_code == "2025-01 – 2025-02"
    assert register(a)["T-2"] == "office cleaning"
    upload(a, JANUARY.replace("Paper Ltd", "Paper Limited"), name="january late.csv")  # January, sent later
    assert register(a)["T-2"] == "office cleaning"  # the January–February version stays in force
    assert Line.objects.get(office=a, current=True, line_id="T-3").supplier_name == "Paper Ltd"


def test_replacing_a_screening_takes_its_lines_out_and_is_audited():
    a = office("A")
    january = upload(a, JANUARY)
    upload(a, FEBRUARY)
    corrected = upload(
        a, HEADER + JANUARY.splitlines()[1] + "\n" + JANUARY.splitlines()[2] + "\n", "export.csv"
    )
    assert "T-3" in register(a)  # a file alone never removes another's lines
    counts = supersede(corrected, january, user("buyer", "procurement_officer", "A"))
    assert sorted(register(a)) == ["T-1", "T-2", "T-4", "T-5"]
    assert counts == {
        "lines_before": 1,  # T-1 and T-2 were already the corrected file's versions
        "brought_again": 0,
        "left_the_register": 1,
        "decisions_on_lines_gone": 0,
    }
    event = AuditEvent.objects.get(action="screening.superseded")
    assert event.actor == "buyer" and event.target == "export.csv (2025-01) → export.csv (2025-01)"
    assert event.details["replaced"] == january.pk and event.details["left_the_register"] == 1
    january.refresh_from_db()
    assert january.superseded_by_id == corrected.pk and Line.objects.filter(screening=january).count() == 3
    with pytest.raises(SupersedeError, match="already replaced"):
        supersede(corrected, january, "buyer")


def test_a_screening_can_only_replace_one_of_its_own_office():
    mine, theirs = upload(office("A"), JANUARY), upload(office("B"), JANUARY)
    with pytest.raises(SupersedeError, match="same office"):
        supersede(mine, theirs, "admin")


def test_the_uploader_can_set_the_period_and_it_orders_the_versions(client):
    a = office("A")
    client.force_login(user("buyer", "procurement_officer", "A"))
    march_file = upload(
        a,
        JANUARY.replace("T-3,Paper Ltd", "T-3,Paper Co"),
        period=(dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    )
    upload(a, JANUARY, name="january.csv")  # read as January: older than the March file
    assert (
        march_file.period_set_by == "buyer"
        and register(a)
        and Line.objects.get(office=a, current=True, line_id="T-3").supplier_name == "Paper Co"
    )
    response = client.post(
        f"/screenings/{march_file.pk}/period/", {"period_start": "2024-12", "period_end": ""}
    )
    assert response.status_code == 302
    assert Line.objects.get(office=a, current=True, line_id="T-3").supplier_name == "Paper Ltd"
    assert AuditEvent.objects.filter(action="screening.period", details__to="2024-12").exists()


def test_the_screening_page_offers_to_replace_an_earlier_file_and_does_it_on_request(client):
    a = office("A")
    january = upload(a, JANUARY)
    corrected = upload(
        a, JANUARY.replace("T-3,Paper Ltd,printing paper,90", "T-3,Paper Ltd,printing paper,95")
    )
    client.force_login(user("buyer", "procurement_officer", "A"))
    page = client.get(f"/screenings/{corrected.pk}/").content.decode()
    assert f'data-replace="{january.pk}"' in page and "January 2025" in page
    response = client.post(f"/screenings/{corrected.pk}/replace/{january.pk}/")
    assert response.status_code == 302
    page = client.get(f"/screenings/{january.pk}/").content.decode()
    assert 'id="superseded"' in page and "no longer in the register" in page
    boss = user("boss", "management")
    client.force_login(boss)
    assert client.post(f"/screenings/{corrected.pk}/replace/{january.pk}/").status_code == 403


def test_an_interrupted_store_shows_nothing_and_a_second_run_stores_each_line_once(monkeypatch):
    from fairprocure.web.screenings import jobs

    a = office("A")
    calls = []

    def stop(screening):
        calls.append(screening.pk)
        raise RuntimeError("the server was killed here")

    monkeypatch.setattr(jobs, "bring_in", stop)
    screening, _ = accept(io.BytesIO(JANUARY.encode()), "export.csv", a, "buyer")
    run_pending()
    assert calls and not Line.objects.filter(current=True).exists()  # none in the register
    assert Line.objects.filter(screening=screening).count() == 0  # the store is one transaction: rolled back
    monkeypatch.undo()
    library_engine(monkeypatch)
    Screening.objects.filter(pk=screening.pk).update(status="queued")
    run_pending()
    assert sorted(register(a)) == ["T-1", "T-2", "T-3"] and Line.objects.count() == 3


# Decisions bound to what was decided on -----------------------------------------------------------

MARCH_SAME = HEADER + (
    "T-4,Fresh Catering Ltd,catering services staff canteen,1250,EUR,2025-02-10\n"  # brought again as it was
    "T-6,Paper Ltd,printing paper,95,EUR,2025-03-03\n"
)
MARCH_CHANGED = (
    HEADER
    + (
        "T-4,Guard Co,security guarding night shifts subcontracted,1250,EUR,2025-03-10\n"  # same record, other content
        "T-6,Paper Ltd,printing paper,95,EUR,2025-03-03\n"
    )
)


def decide_on(line_id: str, level: str = "low", office_code: str = "A"):
    from fairprocure.web.register.decisions import decide

    line = Line.objects.get(office__code=office_code, current=True, line_id=line_id)
    person = user("focal", "focal_point", office_code)
    return decide(line, level, "Catering supplier audited in February: wages paid in full.", person)


@pytest.mark.parametrize(("march", "carried"), [(MARCH_SAME, True), (MARCH_CHANGED, False)])
def test_a_february_decision_is_carried_over_when_the_line_is_unchanged_and_stale_when_it_changed(
    march, carried
):
    a = office("A")
    upload(a, FEBRUARY)
    decision = decide_on("T-4", "low")
    assert Line.objects.get(current=True, line_id="T-4").level == "low"
    upload(a, march)
    line = Line.objects.get(current=True, line_id="T-4")
    assert line.decision == decision and line.decision_stale is not carried
    if carried:
        assert (line.decided_level, line.level) == ("low", "low")
    else:
        assert line.decided_level == "" and line.level == line.risk_level  # not applied to the new content
        assert decision.supplier_name == "Fresh Catering Ltd" and "catering" in decision.about()
    event = AuditEvent.objects.get(action="risk.carried_over")
    assert event.details[("decisions_carried_over" if carried else "decisions_stale")] == 1


def test_the_line_page_says_what_a_stale_decision_was_about_and_a_new_look_clears_it(client):
    a = office("A")
    upload(a, FEBRUARY)
    decide_on("T-4", "low")
    upload(a, MARCH_CHANGED)
    line = Line.objects.get(current=True, line_id="T-4")
    client.force_login(user("focal2", "focal_point", "A"))
    page = client.get(f"/register/lines/{line.pk}/").content.decode()
    assert 'id="stale-decision"' in page and "Fresh Catering Ltd" in page and 'data-state="stale"' in page
    register_page = client.get("/register/?office=A").content.decode()
    assert "⚠" in register_page
    client.post(
        f"/register/lines/{line.pk}/", {"level": "high", "justification": "Night shifts subcontracted."}
    )
    line.refresh_from_db()
    assert (line.decision_stale, line.level) == (False, "high")
    page = client.get(f"/register/lines/{line.pk}/").content.decode()
    assert (
        'data-state="in_force"' in page
        and 'data-state="earlier"' in page
        and 'id="stale-decision"' not in page
    )


def test_the_audit_log_says_what_a_decision_was_about(client):
    a = office("A")
    upload(a, FEBRUARY)
    decide_on("T-5", "critical")
    event = AuditEvent.objects.get(action="risk.raise")
    assert event.target == 'Guard Co: "security guarding night shifts", 3,000.00 EUR — export.csv row 3'
    assert event.details["period"] == "2025-02" and event.details["line_id"] == "T-5"
    client.force_login(user("auditor", "auditor"))
    assert "security guarding night shifts" in client.get("/audit/").content.decode()


def test_a_decision_on_a_line_of_a_replaced_file_stays_with_it_and_the_replacement_counts_it():
    a = office("A")
    january = upload(a, JANUARY.replace("T-3,", ","))  # T-3 without a record number: known by its content
    decide_on(Line.objects.get(current=True, supplier_name="Paper Ltd").line_id, "medium")
    corrected = upload(a, JANUARY.replace("T-3,Paper Ltd,printing paper,90", ",Paper Ltd,printing paper,99"))
    assert Line.objects.filter(current=True, supplier_name="Paper Ltd").count() == 2  # two different contents
    counts = supersede(corrected, january, "buyer")
    assert counts["decisions_on_lines_gone"] == 1
    assert not Line.objects.filter(current=True, supplier_name="Paper Ltd", decided_level="medium").exists()
