"""Activity pages: the list with its filters and the form, and an activity's page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.activities.forms import ActivityForm
from fairprocure.web.activities.models import ROLES, Activity
from fairprocure.web.activities.services import change_activity, record_activity


@requires(Action.VIEW)
def activities(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    year, kind = request.GET.get("year", "").strip(), request.GET.get("kind", "").strip()
    acting = visible_offices(request.user, Action.ACT)
    form = ActivityForm(offices=acting, office=office) if allowed(request.user, Action.ACT) else None
    if request.method == "POST":
        authorize(request.user, Action.ACT)
        office_in_scope(request.user, request.POST.get("office"), Action.ACT)
        form = ActivityForm(request.POST, offices=acting)
        if form.is_valid():
            data = dict(form.cleaned_data)
            where = data.pop("office")
            authorize(request.user, Action.ACT, where)
            try:
                activity = record_activity(where, request.user, **data)
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Activity recorded."))
                return redirect("activity", pk=activity.pk)
    found = Activity.objects.filter(office__in=[office] if office else visible_offices(request.user))
    if year.isdigit():
        found = found.filter(date__year=int(year))
    if kind:
        found = found.filter(kind=kind)
    return render(
        request,
        "activities/list.html",
        {
            "activities": found.select_related("office")[:500],
            "form": form,
            "office": office,
            "offices": visible_offices(request.user),
            "kinds": Activity.Kind.choices,
            "params": {"year": year, "kind": kind},
            "roles": ROLES,
        },
    )


@requires(Action.VIEW)
def activity(request, pk: int):
    item = get_object_or_404(Activity.objects.select_related("office", "recorded_by"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    can_act = allowed(request.user, Action.ACT, item.office)
    offices = visible_offices(request.user, Action.ACT)
    form = ActivityForm(offices=offices, office=item.office, activity=item) if can_act else None
    if request.method == "POST":
        authorize(request.user, Action.ACT, item.office)
        form = ActivityForm(request.POST, offices=offices, office=item.office, activity=item)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "office"}
            try:
                change_activity(item, request.user, **data)
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Activity changed."))
                return redirect("activity", pk=item.pk)
    return render(request, "activities/activity.html", {"activity": item, "form": form, "roles": ROLES})
