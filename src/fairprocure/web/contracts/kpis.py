"""The contracts' KPIs: contracts assessed, and assessed as potentially high risk, per office and year."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts.models import Assessment
from fairprocure.web.kpis.registry import COUNT, KPI, Measure, register


def _latest_assessments(year: int, offices) -> dict[int, Assessment]:
    """Each contract's last assessment made in ``year`` (contract pk → assessment)."""
    latest: dict[int, Assessment] = {}
    found = (
        Assessment.objects.filter(contract__office__in=offices, at__year=year)
        .select_related("contract")
        .order_by("at", "pk")
    )
    for assessment in found:
        latest[assessment.contract_id] = assessment
    return latest


def _count(year: int, offices, high_only: bool) -> dict[int, Measure]:
    counts: dict[int, float] = defaultdict(float)
    for assessment in _latest_assessments(year, offices).values():
        if assessment.high_risk or not high_only:
            counts[assessment.contract.office_id] += 1
    return {office: Measure(n) for office, n in counts.items()}


def contracts_assessed(year: int, offices) -> dict[int, Measure]:
    return _count(year, offices, high_only=False)


def contracts_high_risk(year: int, offices) -> dict[int, Measure]:
    return _count(year, offices, high_only=True)


register(
    KPI(
        "contracts_assessed_high_risk",
        _("Contracts assessed as potentially high risk"),
        COUNT,
        contracts_high_risk,
        _("Contracts whose last assessment in the year confirmed them as potentially high risk."),
        module="contracts",
        order=30,
    )
)
register(
    KPI(
        "contracts_assessed",
        _("Contracts assessed"),
        COUNT,
        contracts_assessed,
        _("Contracts a focal point assessed in the year, whatever the outcome."),
        module="contracts",
        order=31,
    )
)
