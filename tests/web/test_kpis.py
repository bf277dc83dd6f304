"""The KPI registry and table: definitions, units, the organisation's figure, the trend, pages and API."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.services import assess
from fairprocure.web.kpis.registry import (
    COUNT,
    EUR,
    KPI,
    PERCENT,
    REGISTRY,
    Measure,
    combine,
    figure,
    register,
)
from fairprocure.web.kpis.table import compute_table
from web.workspace_helpers import office, register_table, screen_into, user


def test_a_percentage_adds_numerators_and_denominators_before_dividing():
    offices = [Measure(1, 4), Measure(9, 10)]  # 25 % and 90 %: the organisation is 10 of 14, not 57.5 %
    assert figure(PERCENT, combine(PERCENT, offices)) == pytest.approx(100 * 10 / 14)
    assert figure(PERCENT, Measure(0, 0)) is None
    assert figure(COUNT, combine(COUNT, [Measure(2), Measure(3)])) == 5
    assert figure(EUR, combine(EUR, [Measure(2.5), Measure(3)])) == 5.5


def test_a_kpi_id_cannot_be_registered_twice_by_another_definition():
    with pytest.raises(ValueError, match="unit"):
        KPI("x", "x", "hours", lambda year, offices: {})
    known = REGISTRY["contracts_assessed"]
    with pytest.raises(ValueError, match="registered already"):
        register(KPI("contracts_assessed", "again", COUNT, lambda year, offices: {}))
    assert register(known) is known  # the same definition again is harmless


def test_the_table_gives_offices_the_organisation_and_the_trend(db):
    a, b = office("A"), office("B", "TJK")
    answers = {2025: {a.pk: Measure(1)}, 2026: {a.pk: Measure(3), b.pk: Measure(2)}}
    kpi = KPI("test_kpi", "Test", COUNT, lambda year, offices: answers.get(year, {}))
    table = compute_table([a, b], 2026, span=2, kpis=[kpi])
    row = table.row("test_kpi")
    assert table.value("test_kpi") == 5 and table.value("test_kpi", "B") == 2
    assert table.value("test_kpi", "A", 2025) == 1 and row.trend == 4


def test_assessments_count_in_the_year_they_were_made_by_their_last_outcome(db, monkeypatch):
    a, b = office("A"), office("B", "TJK")
    screen_into(a, register_table(3), monkeypatch)
    screen_into(b, register_table(3, prefix="B"), monkeypatch)
    focal = user("focal", "focal_point", all_offices=True)
    contracts = list(Contract.objects.filter(office=a).order_by("key"))
    assess(contracts[0], True, "Agency workforce on site.", "Payroll checks.", focal)
    assess(contracts[1], True, "Agency workforce on site.", "Payroll checks.", focal)
    assess(contracts[1], False, "The agency was replaced by staff.", "", focal)  # the last outcome counts
    assess(Contract.objects.filter(office=b).first(), True, "Garments from a listed origin.", "Audit.", focal)
    year = timezone.now().year
    table = compute_table([a, b], year)
    assert table.value("contracts_assessed_high_risk") == 2
    assert table.value("contracts_assessed_high_risk", "A") == 1
    assert table.value("contracts_assessed") == 3
    assert table.value("contracts_assessed", year=year - 1) == 0


def test_kpi_page_dashboard_and_api_show_the_same_figure(db, client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch)
    focal = user("focal", "focal_point", "A")
    assess(
        Contract.objects.filter(office=a).first(), True, "Agency workforce on site.", "Payroll checks.", focal
    )
    client.force_login(user("boss", "management"))
    api = {k["id"]: k for k in client.get("/api/kpis").json()}
    assert api["contracts_assessed_high_risk"]["value"] == 1
    assert api["contracts_assessed_high_risk"]["by_office"] == {"A": 1}
    for page in ("/dashboard/", "/kpis/"):
        html = client.get(page).content.decode()
        assert 'data-kpi="contracts_assessed_high_risk" data-value="1.0"' in html
    with translation.override("ru"):
        html = client.get("/kpis/", headers={"Accept-Language": "ru"}).content.decode()
    assert "Договоры, оценённые как договоры потенциально высокого риска" in html


def test_contract_pages_in_russian(db, client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch)
    client.force_login(user("focal", "focal_point", "A"))
    client.post("/i18n/setlang/", {"language": "ru", "next": "/contracts/"})
    listing = client.get("/contracts/").content.decode()
    detail = client.get(f"/contracts/{Contract.objects.filter(office=a).first().pk}/").content.decode()
    assert "Договоры" in listing and "Наивысший риск" in listing
    for english in ("Assess this contract", "Status history", "Measures required", "Suppliers"):
        assert english not in detail
    assert "Оценить этот договор" in detail and "Необходимые меры" in detail
