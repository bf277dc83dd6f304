"""Drafting, approving and carrying out action plans; every change goes to the audit log."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fairprocure.web.accounts.permissions import Action as Can
from fairprocure.web.accounts.permissions import allowed
from fairprocure.web.audit.log import record
from fairprocure.web.contracts.models import Contract
from fairprocure.web.plans import starter
from fairprocure.web.plans.library import THEMES
from fairprocure.web.plans.models import Action, ActionPlan, Goal, LibraryAction


def _log(user, verb: str, plan: ActionPlan, target: str, **details) -> None:
    record(
        user, verb, office=plan.office, target=target, details={"plan": plan.pk, "year": plan.year, **details}
    )


def owners_for(office):
    """Who may own an action of ``office``: people who may act there."""
    users = (
        get_user_model().objects.filter(is_active=True, membership__isnull=False).select_related("membership")
    )
    return [u for u in users.order_by("username") if allowed(u, Can.ACT, office)]


def _check_owner(owner, office) -> None:
    if owner is not None and not allowed(owner, Can.ACT, office):
        raise ValueError(f"owner: {owner.username} may not act in office {office.code}")


def create_plan(office, year: int, user) -> ActionPlan:
    if ActionPlan.objects.filter(office=office, year=year).exists():
        raise ValueError(f"office {office.code} has a plan for {year} already")
    plan = ActionPlan.objects.create(office=office, year=year, drafted_by=user)
    _log(user, "plan.created", plan, f"{office.code} {year}")
    return plan


def _editable(plan: ActionPlan) -> None:
    if plan.approved:
        raise ValueError("the plan is approved: reopen it as a draft to change its goals and actions")


def add_goal(plan: ActionPlan, title: str, user) -> Goal:
    _editable(plan)
    title = (title or "").strip()
    if not title:
        raise ValueError("goal: give it a title")
    goal, created = Goal.objects.get_or_create(plan=plan, title=title, defaults={"order": plan.goals.count()})
    if created:
        _log(user, "plan.goal_added", plan, title)
    return goal


@transaction.atomic
def add_action(
    plan: ActionPlan,
    user,
    *,
    title: str,
    goal: Goal | None = None,
    description: str = "",
    owner=None,
    due_date: dt.date | None = None,
    contracts=(),
    suppliers=(),
    categories=(),
    library_key: str = "",
) -> Action:
    _editable(plan)
    title = (title or "").strip()
    if not title:
        raise ValueError("action: give it a title")
    _check_owner(owner, plan.office)
    contracts = list(contracts)
    if any(c.office_id != plan.office_id for c in contracts):
        raise ValueError("contracts: link only contracts of the plan's office")
    action = Action.objects.create(
        plan=plan,
        goal=goal,
        title=title,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        suppliers=list(suppliers),
        categories=list(categories),
        library_key=library_key,
    )
    action.contracts.set(contracts)
    _log(
        user,
        "action.added",
        plan,
        title,
        action=action.pk,
        owner=owner.username if owner else None,
        due=str(due_date or ""),
        contracts=[c.label for c in contracts],
        library=library_key,
    )
    return action


@transaction.atomic
def edit_action(action: Action, user, **fields) -> Action:
    """Change an action's title, description, goal, owner, due date or links (draft plans only)."""
    _editable(action.plan)
    if "owner" in fields:
        _check_owner(fields["owner"], action.plan.office)
    contracts = fields.pop("contracts", None)
    before = {k: str(getattr(action, k)) for k in fields}
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    if contracts is not None:
        action.contracts.set(contracts)
    changed = {
        k: [before[k], str(getattr(action, k))] for k in fields if before[k] != str(getattr(action, k))
    }
    _log(user, "action.edited", action.plan, action.title, action=action.pk, changes=changed)
    return action


@transaction.atomic
def drop_action(action: Action, user, reason: str) -> None:
    """Remove an action from a draft plan."""
    _editable(action.plan)
    _log(user, "action.removed", action.plan, action.title, action=action.pk, reason=reason)
    action.delete()


@transaction.atomic
def report_progress(action: Action, user, status: str, evidence: str = "", completed_on=None) -> Action:
    """Move an action along (planned → in progress → done, or dropped); done needs its evidence."""
    if status not in Action.Status.values:
        raise ValueError(f"status {status!r} is not one of {', '.join(Action.Status.values)}")
    evidence = (evidence or "").strip() or action.evidence
    if status == Action.Status.DONE and not evidence:
        raise ValueError("evidence: say what shows the action is done (a document, a record, a link)")
    old = action.status
    action.status, action.evidence = status, evidence
    action.completed_on = (completed_on or timezone.localdate()) if status == Action.Status.DONE else None
    action.save(update_fields=["status", "evidence", "completed_on"])
    _log(
        user,
        "action.progress",
        action.plan,
        action.title,
        action=action.pk,
        status=[old, status],
        evidence=evidence,
    )
    return action


@transaction.atomic
def approve(plan: ActionPlan, user, note: str = "") -> ActionPlan:
    """Management approves a drafted plan; the approval is recorded with who, when and the note."""
    if plan.approved:
        raise ValueError("the plan is approved already")
    if not plan.actions.exists():
        raise ValueError("a plan without actions cannot be approved")
    plan.status, plan.approved_by, plan.approved_at = ActionPlan.Status.APPROVED, user, timezone.now()
    plan.approval_note = (note or "").strip()
    plan.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
    _log(user, "plan.approved", plan, f"{plan.office.code} {plan.year}", note=plan.approval_note)
    return plan


@transaction.atomic
def reopen(plan: ActionPlan, user, reason: str) -> ActionPlan:
    """Back to draft to change goals and actions; it then needs approving again."""
    if not plan.approved:
        raise ValueError("the plan is a draft already")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason: say why the approved plan is reopened")
    plan.status = ActionPlan.Status.DRAFT
    plan.save(update_fields=["status"])
    _log(user, "plan.reopened", plan, f"{plan.office.code} {plan.year}", reason=reason)
    return plan


def suggestions_for(plan: ActionPlan) -> list[tuple[starter.Suggestion, LibraryAction, list[Contract]]]:
    """The starter plan for the plan's office: library actions for its high-risk contracts."""
    contracts = {
        c.pk: c for c in Contract.objects.filter(office=plan.office).exclude(status=Contract.Status.CLOSED)
    }
    risks = [
        starter.ContractRisk(
            pk=c.pk,
            label=c.label,
            categories=tuple(c.category_ids),
            suppliers=tuple(c.supplier_names),
            value_eur=c.value_eur,
            high=c.high_level,
        )
        for c in contracts.values()
    ]
    library = {e.key: e for e in LibraryAction.objects.filter(active=True)}
    entries = [starter.Entry(e.key, tuple(e.categories), e.theme) for e in library.values()]
    return [
        (s, library[s.entry], [contracts[pk] for pk in s.contracts]) for s in starter.suggest(risks, entries)
    ]


@transaction.atomic
def accept_suggestion(
    plan: ActionPlan, user, suggestion: starter.Suggestion, *, title: str, owner=None, due_date=None
) -> Action:
    """Turn an (edited) suggestion into an action under the goal of its theme."""
    goal = add_goal(plan, str(THEMES[suggestion.theme]), user)
    entry = LibraryAction.objects.get(key=suggestion.entry)
    return add_action(
        plan,
        user,
        title=title or entry.title,
        goal=goal,
        description=entry.text,
        owner=owner,
        due_date=due_date,
        contracts=Contract.objects.filter(pk__in=suggestion.contracts),
        suppliers=suggestion.suppliers,
        categories=suggestion.categories,
        library_key=suggestion.entry,
    )


def save_library_entry(entry: LibraryAction, user, **fields) -> LibraryAction:
    """The organisation edits (or adds) a library action; shipped entries are never overwritten after."""
    created = entry.pk is None
    for name, value in fields.items():
        setattr(entry, name, value)
    if not entry.title_en.strip() or not entry.sources:
        raise ValueError("a library action needs an English title and at least one source")
    entry.edited = True
    entry.save()
    record(user, "library.added" if created else "library.edited", target=entry.key, details=fields)
    return entry
