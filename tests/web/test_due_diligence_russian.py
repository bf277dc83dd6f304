"""Russian is complete on every due-diligence page: no English message of the new apps shows through."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fairprocure.web.activities.services import record_activity
from fairprocure.web.contracts.models import Contract
from fairprocure.web.plans import services
from fairprocure.web.tenders import services as tenders
from web.test_dashboard import visible_text
from web.workspace_helpers import office, register_table, screen_into, user

WEB = Path(__file__).resolve().parents[2] / "src/fairprocure/web"
APPS = ["contracts", "kpis", "plans", "activities", "reports"]


def english_messages() -> set[str]:
    """The English texts of the new apps' catalogues (of two words or more, so names do not count)."""
    found = set()
    for app in APPS:
        po = WEB / app / "locale/ru/LC_MESSAGES/django.po"
        if not po.exists():
            continue
        with po.open("rb") as f:
            for message in read_po(f):
                for text in [message.id] if isinstance(message.id, str) else message.id:
                    text = re.sub(r"%\(\w+\)s", "", text).strip(" .:")
                    if text and " " in text:
                        found.add(text)
    return found


@pytest.fixture
def world(db, monkeypatch):
    a = office("A")
    screen_into(a, register_table(6), monkeypatch)
    focal = user("focal", "focal_point", "A")
    plan = services.create_plan(a, 2026, focal)
    action = services.add_action(plan, focal, title="Factory list", owner=focal, due_date=dt.date(2026, 2, 1))
    dossier = tenders.create_dossier(a, focal, title="Cleaning", category="cleaning")
    activity = record_activity(
        a,
        focal,
        kind="pre_tender_briefing",
        title="Briefing",
        date=dt.date(2026, 3, 3),
        participants=4,
        dossier=dossier,
    )
    contract = Contract.objects.get(office=a, key="id:C-L0")
    return focal, {
        "contracts": "/contracts/",
        "contract": f"/contracts/{contract.pk}/",
        "kpis": "/kpis/",
        "dashboard": "/dashboard/",
        "plans": "/plans/",
        "plan": f"/plans/{plan.pk}/",
        "starter": f"/plans/{plan.pk}/starter/",
        "action": f"/plans/actions/{action.pk}/",
        "mine": "/plans/mine/",
        "library": "/plans/library/",
        "library entry": "/plans/library/payroll-check/",
        "activities": "/activities/",
        "activity": f"/activities/{activity.pk}/",
        "annual report": "/reports/annual/?year=2026",
    }


def test_no_english_message_shows_on_the_russian_pages(world, client):
    focal, pages = world
    client.force_login(focal)
    english = english_messages()
    assert len(english) > 100
    in_english = visible_text(client.get(pages["plan"]).content.decode())
    assert len([m for m in english if m in in_english]) > 10  # the check sees English when it is there
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = visible_text(response.content.decode())
        shown = sorted(m for m in english if m in text)
        assert shown == [], f"{name}: {shown}"


def test_the_russian_annual_report_documents_hold_no_english_message(world):
    from fairprocure.web.offices.models import Office
    from fairprocure.web.reports import render
    from web.documents import docx_text, pdf_text, squeeze

    english = {squeeze(m) for m in english_messages()}
    ctx = render.build(list(Office.objects.all()), 2026, "ru")
    for kind, text in (("pdf", pdf_text(render.pdf(ctx))), ("docx", docx_text(render.docx(ctx)))):
        text = squeeze(text)
        assert "Заявление о современном рабстве" in text, kind
        shown = sorted(m for m in english if m in text)
        assert shown == [], f"{kind}: {shown}"


def test_every_registered_kpi_has_its_russian_label_and_description(db):
    """The KPIs of every installed module (ours and those registered later) show in Russian on the
    dashboard, the KPI page and the annual report."""
    from django.utils import translation

    from fairprocure.web.kpis.registry import all_kpis

    kpis = all_kpis()
    assert len(kpis) >= 10
    for kpi in kpis:
        with translation.override("en"):
            label, description = str(kpi.label), str(kpi.description)
        with translation.override("ru"):
            assert str(kpi.label) != label, kpi.id
            assert not description or str(kpi.description) != description, kpi.id
