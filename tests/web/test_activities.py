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
