"""The KPI page: every registered KPI per office and for the organisation, by year, with the trend."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from fairprocure.web.accounts.permissions import Action, office_in_scope, requires, visible_offices
from fairprocure.web.kpis.table import compute_table


def year_of(request) -> int:
    """The year asked for (``?year=``), else the current one."""
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.now().year


@requires(Action.VIEW)
def kpis(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    offices = [office] if office else list(visible_offices(request.user))
    year = year_of(request)
    return render(
        request,
        "kpis/kpis.html",
        {
            "table": compute_table(offices, year),
            "office": office,
            "year": year,
            "choices": visible_offices(request.user),
        },
    )
