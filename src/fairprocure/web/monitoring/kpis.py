"""Monitoring KPIs: checks done, checks overdue, worker interviews held (counts only, never words)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairprocure.web.kpis.registry import COUNT, KPI, Measure, register
from fairprocure.web.monitoring.models import Check, Interview, Plan


def _by_office(rows, key: str) -> dict[int, Measure]:
    return {r[key]: Measure(float(r["n"])) for r in rows}


def checks_done(year: int, offices) -> dict[int, Measure]:
    rows = (
        Check.objects.filter(plan__contract__office__in=offices, done_on__year=year)
        .values("plan__contract__office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _by_office(rows, "plan__contract__office")


def checks_overdue(year: int, offices) -> dict[int, Measure]:
    """Checks that fell due in the year and are still not done today."""
    today = timezone.localdate()
    end = min(today - dt.timedelta(days=1), dt.date(year, 12, 31))
    rows = (
        Plan.objects.filter(contract__office__in=offices, next_due__year=year, next_due__lte=end)
        .values("contract__office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _by_office(rows, "contract__office")


def interviews_held(year: int, offices) -> dict[int, Measure]:
    rows = (
        Interview.objects.filter(contract__office__in=offices, held_on__year=year)
        .values("contract__office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _by_office(rows, "contract__office")


register(KPI("monitoring_checks_done", _("Monitoring checks done"), COUNT, checks_done,
             _("Checks of contracts in force recorded in the year (payroll, site visits, worker meetings)."),
             module="monitoring", order=60))  # fmt: skip
register(KPI("monitoring_checks_overdue", _("Monitoring checks overdue"), COUNT, checks_overdue,
             _("Contracts whose check fell due in the year and has not been done."),
             module="monitoring", order=61))  # fmt: skip
register(KPI("worker_interviews", _("Worker interviews held"), COUNT, interviews_held,
             _("Pseudonymous interviews with workers on the organisation's contracts."),
             module="monitoring", order=62))  # fmt: skip
