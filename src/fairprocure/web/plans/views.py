"""Plan pages: plans per office and year, a plan with its roadmap, the starter plan, an action, my
actions, and the action library. Views load, call the services and render."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import (
    Action as Can,
)
from fairprocure.web.accounts.permissions import (
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.plans import roadmap, services
from fairprocure.web.plans.forms import (
    ActionForm,
    ApproveForm,
    GoalForm,
    LibraryForm,
    PlanForm,
    ProgressForm,
)
from fairprocure.web.plans.library import THEMES
from fairprocure.web.plans.models import Action, ActionPlan, LibraryAction


def _try(request, call) -> bool:
    """Run a service call; a refused change becomes a message on the page."""
    try:
        call()
    except ValueError as exc:
        messages.error(request, str(exc))
        return False
    return True


@requires(Can.VIEW)
def plans(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    plannable = visible_offices(request.user, Can.PLAN)
    form = PlanForm(offices=plannable) if allowed(request.user, Can.PLAN) else None
    if request.method == "POST":
        authorize(request.user, Can.PLAN)
        office_in_scope(request.user, request.POST.get("office"), Can.PLAN)
        form = PlanForm(request.POST, offices=plannable)
        if form.is_valid():
            authorize(request.user, Can.PLAN, form.cleaned_data["office"])
            plan = None

            def create():
                nonlocal plan
                plan = services.create_plan(
                    form.cleaned_data["office"], form.cleaned_data["year"], request.user
                )

            if _try(request, create):
                return redirect("plan", pk=plan.pk)
    found = ActionPlan.objects.filter(office__in=[office] if office else visible_offices(request.user))
    found = found.select_related("office", "approved_by").prefetch_related("actions")
    today = dt.date.today()
    rows = [
        {
            "plan": p,
            "actions": len(p.actions.all()),
            "done": sum(a.status == Action.Status.DONE for a in p.actions.all()),
            "overdue": sum(a.overdue(today) for a in p.actions.all()),
        }
        for p in found
    ]
    return render(
        request,
        "plans/list.html",
        {"rows": rows, "form": form, "office": office, "offices": visible_offices(request.user)},
    )


def _plan(request, pk: int, action: Can = Can.VIEW) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("office"), pk=pk)
    authorize(request.user, action, plan.office)
    return plan


@requires(Can.VIEW)
def plan(request, pk: int):
    item = _plan(request, pk)
    can_plan = allowed(request.user, Can.PLAN, item.office)
    can_approve = allowed(request.user, Can.APPROVE, item.office)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "approve":
            authorize(request.user, Can.APPROVE, item.office)
            form = ApproveForm(request.POST)
            if form.is_valid() and _try(
                request, lambda: services.approve(item, request.user, form.cleaned_data["note"])
            ):
                messages.success(request, _("Plan approved."))
        elif step == "reopen":
            authorize(request.user, Can.PLAN, item.office)
            if _try(request, lambda: services.reopen(item, request.user, request.POST.get("reason", ""))):
                messages.success(request, _("Plan reopened as a draft."))
        elif step == "goal":
            authorize(request.user, Can.PLAN, item.office)
            form = GoalForm(request.POST)
            if form.is_valid():
                _try(request, lambda: services.add_goal(item, form.cleaned_data["title"], request.user))
        elif step == "action":
            authorize(request.user, Can.PLAN, item.office)
            form = ActionForm(request.POST, plan=item)
            if form.is_valid():
                data = form.cleaned_data
                if _try(request, lambda: services.add_action(item, request.user, **data)):
                    messages.success(request, _("Action added."))
            else:
                messages.error(
                    request, _("The action was not added: %(errors)s") % {"errors": form.errors.as_text()}
                )
        else:
            raise PermissionDenied("unknown step")
        return redirect("plan", pk=item.pk)
    actions = list(
        item.actions.select_related("goal", "owner")
        .prefetch_related("contracts")
        .order_by("goal__order", "due_date", "pk")
    )
    today = dt.date.today()
    return render(
        request,
        "plans/plan.html",
        {
            "plan": item,
            "actions": actions,
            "lanes": roadmap.lanes(
                item.year, actions, lambda a: a.goal.title if a.goal else _("Without a goal"), today
            ),
            "slots": [*roadmap.QUARTERS],
            "columns": [roadmap.EARLIER, *roadmap.QUARTERS, roadmap.LATER, roadmap.UNDATED],
            "today": today,
            "can_plan": can_plan,
            "can_approve": can_approve and not item.approved,
            "goal_form": GoalForm() if can_plan and not item.approved else None,
            "action_form": ActionForm(plan=item) if can_plan and not item.approved else None,
            "approve_form": ApproveForm() if can_approve and not item.approved else None,
        },
    )


@requires(Can.PLAN)
def starter(request, pk: int):
    item = _plan(request, pk, Can.PLAN)
    found = services.suggestions_for(item)
    owners = services.owners_for(item.office)
    if request.method == "POST" and not item.approved:
        by_pk = {str(u.pk): u for u in owners}
        added = 0
        for i, (suggestion, _entry, _contracts) in enumerate(found):
            if not request.POST.get(f"keep-{i}"):
                continue
            due = request.POST.get(f"due-{i}") or None
            try:
                services.accept_suggestion(
                    item,
                    request.user,
                    suggestion,
                    title=request.POST.get(f"title-{i}", "").strip(),
                    owner=by_pk.get(request.POST.get(f"owner-{i}", "")),
                    due_date=dt.date.fromisoformat(due) if due else None,
                )
                added += 1
            except ValueError as exc:
                messages.error(request, str(exc))
        messages.success(request, _("%(n)s suggested actions added to the plan.") % {"n": added})
        return redirect("plan", pk=item.pk)
    default_due = _default_due(item.year, dt.date.today())
    return render(
        request,
        "plans/starter.html",
        {
            "plan": item,
            "suggestions": [
                {"i": i, "s": s, "entry": e, "contracts": cs, "theme": THEMES[s.theme]}
                for i, (s, e, cs) in enumerate(found)
            ],
            "owners": owners,
            "default_due": default_due,
        },
    )


def _default_due(year: int, today: dt.date) -> dt.date:
    """A starter action's proposed due date: the end of the next quarter within the plan's year."""
    if year != today.year:
        return dt.date(year, 6, 30) if year > today.year else dt.date(year, 12, 31)
    month = min(12, 3 * ((today.month - 1) // 3 + 2))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@requires(Can.VIEW)
def action(request, pk: int):
    item = get_object_or_404(Action.objects.select_related("plan__office", "goal", "owner"), pk=pk)
    office = item.plan.office
    authorize(request.user, Can.VIEW, office)
    can_edit = allowed(request.user, Can.PLAN, office) and not item.plan.approved
    can_act = allowed(request.user, Can.ACT, office)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "progress":
            authorize(request.user, Can.ACT, office)
            form = ProgressForm(request.POST, initial={"evidence": item.evidence})
            if form.is_valid():
                data = form.cleaned_data
                if _try(
                    request,
                    lambda: services.report_progress(
                        item, request.user, data["status"], data["evidence"], data["completed_on"]
                    ),
                ):
                    messages.success(request, _("Progress recorded."))
            else:
                messages.error(request, form.errors.as_text())
        elif step in ("edit", "remove"):
            authorize(request.user, Can.PLAN, office)
            if step == "remove":
                if _try(
                    request, lambda: services.drop_action(item, request.user, request.POST.get("reason", ""))
                ):
                    return redirect("plan", pk=item.plan.pk)
            else:
                form = ActionForm(request.POST, plan=item.plan, action=item)
                if form.is_valid() and _try(
                    request, lambda: services.edit_action(item, request.user, **form.cleaned_data)
                ):
                    messages.success(request, _("Action changed."))
        else:
            raise PermissionDenied("unknown step")
        return redirect("action", pk=item.pk)
    return render(
        request,
        "plans/action.html",
        {
            "action": item,
            "edit_form": ActionForm(plan=item.plan, action=item) if can_edit else None,
            "progress_form": ProgressForm(
                initial={"status": item.status, "evidence": item.evidence, "completed_on": item.completed_on}
            )
            if can_act
            else None,
        },
    )


@requires(Can.VIEW)
def my_actions(request):
    found = (
        Action.objects.filter(owner=request.user, plan__office__in=visible_offices(request.user))
        .select_related("plan__office", "goal")
        .order_by("due_date", "pk")
    )
    today = dt.date.today()
    items = sorted(
        found, key=lambda a: (not a.overdue(today), a.status not in Action.OPEN, a.due_date or dt.date.max)
    )
    return render(request, "plans/mine.html", {"actions": items, "today": today})


@requires(Can.VIEW)
def library(request):
    return render(
        request,
        "plans/library.html",
        {
            "entries": LibraryAction.objects.all(),
            "themes": THEMES,
            "can_edit": allowed(request.user, Can.LIBRARY),
        },
    )


@requires(Can.LIBRARY)
def library_entry(request, key: str | None = None):
    entry = get_object_or_404(LibraryAction, key=key) if key else LibraryAction()
    form = LibraryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "key" or not entry.pk}
        if _try(request, lambda: services.save_library_entry(entry, request.user, **fields)):
            messages.success(request, _("Library action saved."))
            return redirect("plan-library")
    return render(request, "plans/library_entry.html", {"form": form, "entry": entry})
