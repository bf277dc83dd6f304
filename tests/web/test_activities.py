"""Activities: recording workshops, training and pre-tender briefings, their checks, KPIs and the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from fairprocure.web.activities.services import change_activity, record_activity
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.contracts.models import Contract
from fairprocure.web.kpis.table import compute_table
from web.workspace_helpers import office, register_table, screen_into, user


def test_activities_are_checked_recorded_and_counted(db, monkeypatch):
    a, b = office("A"), office("B", "TJK")
    screen_into(a, register_table(3), monkeypatch)
    screen_into(b, register_table(3, prefix="B"), monkeypatch)
    focal = user("focal", "focal_point", "A")
    contract = Contract.objects.get(office=a, key="id:C-L0")
    with pytest.raises(ValueError, match="roles"):
        record_activity(
            a,
            focal,
            kind="workshop",
            title="W",
            date=dt.date(2026, 3, 1),
            participants=3,
            participant_roles=["aliens"],
        )
    with pytest.raises(ValueError, match="office"):
        record_activity(
            a,
            focal,
            kind="workshop",
            title="W",
            date=dt.date(2026, 3, 1),
            participants=3,
            contracts=Contract.objects.filter(office=b),
        )
    record_activity(
        a,
        focal,
        kind="workshop",
        title="Regional workshop",
        date=dt.date(2026, 3, 1),
        participants=20,
        participant_roles=["procurement_staff", "focal_points"],
    )
    briefing = record_activity(
        a,
        focal,
        kind="pre_tender_briefing",
        title="Uniforms: briefing for bidders",
        date=dt.date(2026, 4, 9),
        participants=7,
        participant_roles=["suppliers"],
        contracts=[contract],
        suppliers=["Supplier 0"],
        materials="Agenda\nSlides: trafficking risks in garments",
    )
    record_activity(b, focal, kind="training", title="Course", date=dt.date(2025, 11, 1), participants=4)
    change_activity(briefing, focal, participants=8)
    table = compute_table([a, b], 2026)
    assert table.value("workshops_held") == 1 and table.value("engagement_activities") == 1
    assert table.value("training_sessions") == 0 and table.value("training_sessions", year=2025) == 1
    assert table.value("activity_participants") == 28
    assert list(contract.activities.all()) == [briefing]
    assert AuditEvent.objects.filter(action="activity.recorded").count() == 3
    assert AuditEvent.objects.get(action="activity.changed").details["participants"] == 8


def test_a_tenders_pre_tender_briefing_is_an_activity_linked_to_its_dossier(db, monkeypatch, client):
    from fairprocure.web.tenders import services as tenders

    a, b = office("A"), office("B", "TJK")
    screen_into(a, register_table(3), monkeypatch)
    buyer = user("buyer", "procurement_officer", "A")
    contract = Contract.objects.get(office=a, key="id:C-L0")
    dossiers = [
        tenders.create_dossier(a, buyer, title=f"office cleaning {n}", category="cleaning", contract=contract)
        for n in range(12)
    ]
    first, twelfth = dossiers[0], dossiers[11]
    assert "record the pre-tender briefing (an engagement activity)" in tenders.blockers(first, "engagement")
    briefing = tenders.record_briefing(
        twelfth, buyer, date=dt.date(2026, 4, 9), participants=11, roles=["suppliers"], summary="Wages"
    )
    assert briefing.kind == "pre_tender_briefing" and briefing.dossier == twelfth
    assert list(briefing.contracts.all()) == [contract]
    assert tenders.briefings(twelfth) == [briefing] and tenders.briefings(first) == []  # #1 is not #12
    assert "record the pre-tender briefing (an engagement activity)" not in tenders.blockers(
        twelfth, "engagement"
    )
    # A briefing recorded on the activities side links to the dossier too; only a briefing, only its office's.
    other = record_activity(
        a, buyer, kind="pre_tender_briefing", title="Bidders' Q&A", date=dt.date(2026, 4, 20),
        participants=5, dossier=first, suppliers=["SUPPLIER 0 LTD", "Nobody Known"],
    )  # fmt: skip
    assert tenders.briefings(first) == [other]
    with pytest.raises(ValueError, match="only a pre-tender briefing"):
        change_activity(other, buyer, kind="workshop")
    foreign = tenders.create_dossier(
        b, user("buyer-b", "procurement_officer", "B"), title="x", category="cleaning"
    )
    with pytest.raises(ValueError, match="tender of the activity's office"):
        record_activity(a, buyer, kind="pre_tender_briefing", title="x", date=dt.date(2026, 1, 1),
                        participants=1, dossier=foreign)  # fmt: skip
    assert compute_table([a], 2026).value("engagement_activities") == 2
    assert AuditEvent.objects.get(action="activity.recorded", target=briefing.title).details["dossier"] == (
        twelfth.title
    )
    client.force_login(buyer)
    page = client.get(f"/activities/{briefing.pk}/").content.decode()
    assert f'href="/tenders/{twelfth.pk}/"' in page
    assert f'href="/activities/{briefing.pk}/"' in client.get(f"/tenders/{twelfth.pk}/").content.decode()
    from fairprocure.web.suppliers.models import SupplierName

    filed = SupplierName.objects.get(name="Supplier 0").supplier  # filed from the register's lines
    suppliers = client.get(f"/activities/{other.pk}/").content.decode().split('id="activity-suppliers"')[1]
    assert f'<a href="/suppliers/{filed.pk}/">SUPPLIER 0 LTD</a>; Nobody Known</td>' in suppliers
    assert not SupplierName.objects.filter(name="Nobody Known").exists()  # shown, never filed
    response = client.post(
        "/api/activities",
        {"office": "A", "kind": "pre_tender_briefing", "title": "Via the API", "date": "2026-05-02",
         "participants": 3, "dossier": first.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["dossier"] == first.pk
    for field, value in (("dossier", 2**63), ("contracts", [2**64])):  # beyond the database's integers
        refused = client.post(
            "/api/activities",
            {
                "office": "A",
                "kind": "workshop",
                "title": "x",
                "date": "2026-05-02",
                "participants": 1,
                field: value,
            },
            content_type="application/json",
        )
        assert refused.status_code == 422, (field, refused.status_code)
