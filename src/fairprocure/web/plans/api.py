"""The plans API: plans with their actions, approval, progress on an action, my actions."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from fairprocure.web.accounts.permissions import Action as Can
from fairprocure.web.accounts.permissions import authorize, office_in_scope, visible_offices
from fairprocure.web.plans import services
from fairprocure.web.plans.models import Action, ActionPlan

router = Router(tags=["plans"])


class ActionOut(Schema):
    id: int
    plan: int
    office: str
    goal: str | None
    title: str
    owner: str | None
    due_date: dt.date | None
    status: str
    overdue: bool
    evidence: str
    completed_on: dt.date | None
    contracts: list[int]
    suppliers: list[str]
    categories: list[str]
    library_key: str

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.plan.office.code

    @staticmethod
    def resolve_goal(obj) -> str | None:
        return obj.goal.title if obj.goal else None

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return obj.owner.username if obj.owner else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.overdue()

    @staticmethod
    def resolve_contracts(obj) -> list[int]:
        return [c.pk for c in obj.contracts.all()]


class PlanOut(Schema):
    id: int
    office: str
    year: int
    status: str
    approved_by: str | None
    approved_at: dt.datetime | None
    actions: list[ActionOut]

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_approved_by(obj) -> str | None:
        return obj.approved_by.username if obj.approved_by else None

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.select_related("plan__office", "goal", "owner").prefetch_related("contracts"))


class ApproveIn(Schema):
    note: str = ""


class ProgressIn(Schema):
    status: str
    evidence: str = ""
    completed_on: dt.date | None = None


@router.get("", response=list[PlanOut])
def plans(request, office: str = "", year: int = 0):
    authorize(request.user, Can.VIEW)
    chosen = office_in_scope(request.user, office)
    found = ActionPlan.objects.filter(office__in=[chosen] if chosen else visible_offices(request.user))
    return found.filter(year=year) if year else found


def _plan(request, pk: int, action: Can = Can.VIEW) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("office"), pk=pk)
    authorize(request.user, action, plan.office)
    return plan


@router.get("/actions/mine", response=list[ActionOut])
def my_actions(request):
    authorize(request.user, Can.VIEW)
    return Action.objects.filter(
        owner=request.user, plan__office__in=visible_offices(request.user)
    ).select_related("plan__office", "goal", "owner")


@router.post("/actions/{pk}/progress", response=ActionOut)
def progress(request, pk: int, payload: ProgressIn):
    item = get_object_or_404(Action.objects.select_related("plan__office"), pk=pk)
    authorize(request.user, Can.ACT, item.plan.office)
    return services.report_progress(
        item, request.user, payload.status, payload.evidence, payload.completed_on
    )


@router.get("/{pk}", response=PlanOut)
def plan(request, pk: int):
    return _plan(request, pk)


@router.post("/{pk}/approve", response=PlanOut)
def approve(request, pk: int, payload: ApproveIn):
    return services.approve(_plan(request, pk, Can.APPROVE), request.user, payload.note)
