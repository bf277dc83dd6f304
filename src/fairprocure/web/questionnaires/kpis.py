"""Questionnaire KPIs: suppliers assessed and questionnaires answered, per inviting office and year."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from fairprocure.web.kpis.registry import COUNT, KPI, Measure, register
from fairprocure.web.questionnaires.models import Invitation, Response


def _by_office(year: int, offices, statuses, date_field: str) -> dict[int, Measure]:
    seen: dict[int, set[int]] = defaultdict(set)
    found = Invitation.objects.filter(
        office__in=offices, response__status__in=statuses, **{f"response__{date_field}__year": year}
    ).values_list("office_id", "response__supplier_id")
    for office, supplier in found:
        seen[office].add(supplier)
    return {office: Measure(len(suppliers)) for office, suppliers in seen.items()}


def suppliers_assessed(year: int, offices) -> dict[int, Measure]:
    return _by_office(year, offices, [Response.Status.ACCEPTED], "reviewed")


def questionnaires_answered(year: int, offices) -> dict[int, Measure]:
    statuses = [Response.Status.SUBMITTED, Response.Status.CLARIFICATION, Response.Status.ACCEPTED]
    return _by_office(year, offices, statuses, "submitted")


register(
    KPI(
        "suppliers_assessed",
        _("Suppliers assessed"),
        COUNT,
        suppliers_assessed,
        _("Suppliers whose questionnaire answers the office reviewed and accepted in the year."),
        module="questionnaires",
        order=50,
    )
)
register(
    KPI(
        "questionnaires_answered",
        _("Questionnaires answered"),
        COUNT,
        questionnaires_answered,
        _("Suppliers who submitted answers, in the year, to a questionnaire the office sent."),
        module="questionnaires",
        order=51,
    )
)
