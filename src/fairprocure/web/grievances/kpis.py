"""Grievance KPIs: cases received, acknowledged within the policy's deadline, resolved (counts only).

A case counts in the office it was routed to; cases no focal point has routed yet count nowhere."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from fairprocure.web.grievances.models import Case
from fairprocure.web.kpis.registry import COUNT, KPI, PERCENT, Measure, register


def received(year: int, offices) -> dict[int, Measure]:
    rows = (
        Case.objects.filter(office__in=offices, received_at__year=year)
        .values("office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["office"]: Measure(float(r["n"])) for r in rows}


def acknowledged_in_time(year: int, offices) -> dict[int, Measure]:
    counts: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for case in Case.objects.filter(office__in=offices, received_at__year=year).only(
        "office", "acknowledged_at", "acknowledge_by"
    ):
        counts[case.office_id][1] += 1
        if case.acknowledged_at is not None and case.acknowledged_at <= case.acknowledge_by:
            counts[case.office_id][0] += 1
    return {office: Measure(n, base) for office, (n, base) in counts.items()}


def resolved(year: int, offices) -> dict[int, Measure]:
    rows = (
        Case.objects.filter(office__in=offices, resolved_at__year=year)
        .values("office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["office"]: Measure(float(r["n"])) for r in rows}


register(KPI("grievances_received", _("Grievances received"), COUNT, received,
             _("Cases workers reported through the grievance channel in the year, by the office concerned."),
             module="grievances", order=80))  # fmt: skip
register(KPI("grievances_acknowledged_in_time", _("Grievances acknowledged in time"), PERCENT, acknowledged_in_time,
             _("Share of the year's cases acknowledged within the policy's deadline."),
             module="grievances", order=81))  # fmt: skip
register(KPI("grievances_resolved", _("Grievances resolved"), COUNT, resolved,
             _("Cases resolved or closed in the year."), module="grievances", order=82))  # fmt: skip
