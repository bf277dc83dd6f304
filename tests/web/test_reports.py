"""The annual report: statement drafts with gaps, and the same figures in the page, the PDF and the DOCX."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from fairprocure.web.activities.services import record_activity
from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.services import assess
from fairprocure.web.plans import services
from fairprocure.web.reports import render
from fairprocure.web.reports.annual import AnnualReport, Figure, OfficeSection
from fairprocure.web.reports.statements import au_statement, uk_statement
from web.documents import docx_text, pdf_text, squeeze
from web.workspace_helpers import office, register_table, screen_into, user

YEAR = timezone.now().year


def _report(**figures) -> AnnualReport:
    office = OfficeSection("tj", "Dushanbe", "TJK", "", "", "", None)
    return AnnualReport(
        organisation="OSCE",
        year=2026,
        generated=timezone.now(),
        offices=[office],
        figures=[Figure(k, k, "count", v, None, None, {"tj": v}) for k, v in figures.items()],
        countries=["TJK"],
    )


def test_statements_fill_what_the_records_say_and_mark_the_rest_as_gaps():
    with translation.override("en"):
        empty = uk_statement(_report(workshops_held=0, approved_action_plans=0))
        full = uk_statement(
            _report(workshops_held=5, training_sessions=1, approved_action_plans=1, engagement_activities=3)
        )
        au = au_statement(_report(workshops_held=5))
    areas = [s.key for s in empty.sections]
    assert areas == ["structure", "policies", "due_diligence", "risks", "effectiveness", "training"]
    training = {s.key: s for s in empty.sections}["training"]
    assert training.gaps and not training.paragraphs
    assert "5 workshops and 1 training sessions" in " ".join(
        {s.key: s for s in full.sections}["training"].paragraphs
    )
    assert full.gap_count < empty.gap_count
    assert [s.title[:2] for s in au.sections] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert any("policy records" in g for g in {s.key: s for s in empty.sections}["policies"].gaps)


@pytest.fixture
def year_of_records(db, monkeypatch):
    """Two offices: three contracts assessed high, an approved plan with a done action, two activities."""
    a, b = office("A"), office("B", "TJK")
    screen_into(a, register_table(9), monkeypatch)
    screen_into(b, register_table(3, prefix="B"), monkeypatch)
    focal, boss = user("focal", "focal_point", all_offices=True), user("boss", "management")
    for key in ("id:C-L0", "id:C-L3"):
        assess(
            Contract.objects.get(office=a, key=key),
            True,
            "Uniforms from a listed origin.",
            "Factory list.",
            focal,
        )
    assess(Contract.objects.get(office=b, key="id:C-B0"), True, "Garments via agency.", "Audit.", focal)
    plan = services.create_plan(a, YEAR, focal)
    action = services.add_action(
        plan,
        focal,
        title="Factory list for uniforms",
        contracts=[Contract.objects.get(office=a, key="id:C-L0")],
    )
    services.approve(plan, boss)
    services.report_progress(action, focal, "done", "List received")
    record_activity(
        a, focal, kind="workshop", title="Regional workshop", date=dt.date(YEAR, 3, 3), participants=21
    )
    record_activity(
        b, focal, kind="pre_tender_briefing", title="Briefing", date=dt.date(YEAR, 4, 4), participants=6
    )
    return [a, b]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_and_docx_carry_the_kpi_figures(year_of_records, lang):
    ctx = render.build(year_of_records, YEAR, lang)
    figures = {f.id: f.value_text for f in ctx["figures"]}
    assert figures["contracts_assessed_high_risk"] == "3" and figures["workshops_held"] == "1"
    assert figures["engagement_activities"] == "1" and figures["approved_action_plans"] == "1"
    assert figures["actions_done"] == "1"
    heading = {"en": f"In {YEAR} the organisation has:", "ru": f"В {YEAR} году организация:"}[lang]
    for text in (squeeze(pdf_text(render.pdf(ctx))), squeeze(docx_text(render.docx(ctx)))):
        assert heading in text
        for f in ctx["figures"]:
            assert f"{f.value_text} — {squeeze(f.label)}" in text, f.id
        assert ("GAP" if lang == "en" else "ПРОБЕЛ") in text
        assert "Factory list for uniforms" in text and "Regional workshop" in text
    if lang == "ru":
        assert "Заявление о современном рабстве" in squeeze(pdf_text(render.pdf(ctx)))


def test_the_report_page_and_files_are_served_in_the_readers_scope(year_of_records, client):
    client.force_login(user("buyer", "procurement_officer", "B"))
    page = client.get(f"/reports/annual/?year={YEAR}").content.decode()
    assert "Office B" in page and "Office A" not in page  # an officer's report covers their own office
    response = client.get(f"/reports/annual/{YEAR}.docx?lang=ru")
    assert response.status_code == 200 and response["Content-Disposition"].endswith(
        f'annual-report-{YEAR}-ru.docx"'
    )
    assert "Годовой отчёт" in docx_text(response.content) or "годовой отчёт" in docx_text(response.content)
    assert client.get(f"/reports/annual/{YEAR}.exe").status_code == 404


def test_write_all_writes_every_language_and_format(year_of_records, tmp_path):
    written = render.write_all(year_of_records, YEAR, tmp_path, formats=("html", "docx"))
    assert sorted(p.name for p in written) == sorted(
        f"annual-report-{YEAR}-{lang}.{fmt}" for lang in ("en", "ru") for fmt in ("html", "docx")
    )
    assert "Regional workshop" in (tmp_path / f"annual-report-{YEAR}-ru.html").read_text(encoding="utf-8")


LATER = {  # what the supplier, monitoring, findings and grievance modules register, with their units
    "suppliers_assessed": ("count", 4),
    "questionnaires_answered": ("count", 6),
    "contracts_mapped_to_factory": ("count", 2),
    "high_risk_contracts_mapped": ("percent", 50.0),
    "monitoring_checks_done": ("count", 3),
    "monitoring_checks_overdue": ("count", 1),
    "worker_interviews": ("count", 12),
    "grievances_received": ("count", 2),
    "grievances_resolved": ("count", 1),
    "findings_open_minor": ("count", 2),
    "findings_closed_major": ("count", 1),
    "days_to_remediation": ("days", 12.5),
    "workers_remedied": ("count", 9),
    "remedy_paid": ("eur", 4500.0),
}


def _later(values: dict) -> AnnualReport:
    report = _report(approved_action_plans=1, engagement_activities=1)
    report.figures += [Figure(k, k, unit, v, None, None, {"tj": v}) for k, (unit, v) in values.items()]
    return report


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_statements_tell_what_later_modules_register_and_mark_their_gaps(lang):
    with translation.override(lang):
        alone = {s.key: s for s in uk_statement(_later({})).sections}
        full = {s.key: s for s in uk_statement(_later(LATER)).sections}
        zero = {s.key: s for s in uk_statement(_later({k: (u, 0) for k, (u, _v) in LATER.items()})).sections}
        days = render.format_value(12.5, "days")
    said, gaps = " ".join(full["due_diligence"].paragraphs), " ".join(full["due_diligence"].gaps)
    numbers = ["6", "4", "2", "50,0 %" if lang == "ru" else "50.0 %", "12", "9", "4"]
    for n in numbers:
        assert n in said, n
    assert len(full["due_diligence"].paragraphs) == len(alone["due_diligence"].paragraphs) + 7
    remedy_gap = {"en": "records none yet", "ru": "записей пока"}[lang]
    assert remedy_gap in " ".join(alone["due_diligence"].gaps) and remedy_gap not in gaps
    assert (
        len(zero["due_diligence"].gaps) == len(full["due_diligence"].gaps) + 3
    )  # suppliers, monitoring, remedy
    assert days in " ".join(full["effectiveness"].paragraphs)
    assert days == {"en": "12.5 d", "ru": "12,5 дн."}[lang]
    if lang == "ru":
        english = ("questionnaire", "monitoring", "grievance", "remedy", "factory", "findings")
        assert not [w for w in english if w in said + gaps]
