"""The dashboard page: organisation-wide, or one office with ``?office=CODE``."""

from __future__ import annotations

from django.shortcuts import render

from fairprocure.web.accounts.permissions import Action, office_in_scope, requires, visible_offices
from fairprocure.web.dashboard.summary import build
from fairprocure.web.kpis.table import compute_table
from fairprocure.web.kpis.views import year_of
from fairprocure.web.screenings.views import active_screenings


@requires(Action.VIEW)
def dashboard(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    offices = [office] if office else visible_offices(request.user)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": build(offices),
            "office": office,
            "choices": visible_offices(request.user),
            "table": compute_table(offices, year_of(request)),
            "in_progress": active_screenings(request.user),
        },
    )
