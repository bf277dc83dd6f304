"""The monitoring API (a router of the workspace API): plans with their next due date, checks, cost
checks; interviews for focal points only (their answers in clear for them alone)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.monitoring import services
from fairprocure.web.monitoring.models import Interview, Plan

router = Router(tags=["monitoring"])


class PlanOut(Schema):
    id: int
    contract: int
    office: str
    service: str
    risk_level: str
    frequency_days: int
    started_on: dt.date
    next_due: dt.date | None
    state: str

    @staticmethod
    def resolve_contract(obj) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.contract.office.code

    @staticmethod
    def resolve_state(obj) -> str:
        return services.state(obj)


class CheckOut(Schema):
    id: int
    done_on: dt.date
    method: str
    results: dict
    notes: dict
    summary: str
    issues: list[str]


class PlanIn(Schema):
    service: str = ""
    started_on: dt.date | None = None


class CheckIn(Schema):
    done_on: dt.date
    method: str
    results: dict[str, str]
    notes: dict[str, str] = {}
    summary: str = ""
    workers_covered: int | None = None


class RoleIn(Schema):
    name: str = "worker"
    headcount: Decimal
    hours_per_month: Decimal
    overtime_hours_per_month: Decimal = Decimal(0)
    overtime_premium: Decimal = Decimal(0)
    hourly_wage: Decimal = Decimal(0)


class CostCheckIn(Schema):
    price: Decimal
    months: Decimal
    contribution_rate: Decimal  # share of wages: 0.25 = 25%
    roles: list[RoleIn]
    other_costs: dict[str, Decimal] = {}
    on: dt.date | None = None


class CostCheckOut(Schema):
    price: Decimal
    currency: str
    lawful_cost: Decimal
    below: bool
    breakdown: list
    wage_floor: str


class InterviewOut(Schema):
    id: int
    contract: int
    pseudonym: str
    held_on: dt.date
    language: str
    interpreter: bool
    place: str
    sampling: str
    indicators: list[str]
    answers: dict

    @staticmethod
    def resolve_contract(obj) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_answers(obj) -> dict:
        return services.answers_of(obj)


class Filters(Schema):
    office: str = ""


def _contract(request, pk: int, action: Action) -> Contract:
    item = get_object_or_404(Contract.objects.select_related("office"), pk=pk)
    authorize(request.user, action, item.office)
    return item


@router.get("/plans", response=list[PlanOut])
def plans(request, filters: Query[Filters]):
    authorize(request.user, Action.VIEW)
    office = office_in_scope(request.user, filters.office)
    return Plan.objects.filter(
        contract__office__in=[office] if office else visible_offices(request.user)
    ).select_related("contract__office")[:1000]


@router.get("/plans/{pk}/checks", response=list[CheckOut])
def checks(request, pk: int):
    plan = get_object_or_404(Plan.objects.select_related("contract__office"), pk=pk)
    authorize(request.user, Action.VIEW, plan.contract.office)
    return plan.checks.all()


@router.post("/contracts/{pk}/plan", response={201: PlanOut})
def start_plan(request, pk: int, payload: PlanIn):
    contract = _contract(request, pk, Action.ACT)
    return Status(
        201,
        services.create_plan(contract, request.user, service=payload.service, started_on=payload.started_on),
    )


@router.post("/plans/{pk}/checks", response={201: CheckOut})
def record_check(request, pk: int, payload: CheckIn):
    plan = get_object_or_404(Plan.objects.select_related("contract__office"), pk=pk)
    authorize(request.user, Action.ACT, plan.contract.office)
    return Status(201, services.record_check(plan, request.user, **payload.dict()))


@router.post("/contracts/{pk}/cost-checks", response={201: CostCheckOut})
def cost_check(request, pk: int, payload: CostCheckIn):
    contract = _contract(request, pk, Action.ACT)
    data = payload.dict()
    data["roles"] = [r for r in data["roles"]]
    return Status(201, services.check_cost(contract, request.user, **data))


@router.get("/interviews", response=list[InterviewOut])
def interviews(request, filters: Query[Filters]):
    """Focal points only: the interviews of the offices they cover, answers in clear."""
    authorize(request.user, Action.CONFIDENTIAL)
    office = office_in_scope(request.user, filters.office, Action.CONFIDENTIAL)
    offices = [office] if office else visible_offices(request.user, Action.CONFIDENTIAL)
    return Interview.objects.filter(contract__office__in=offices)[:1000]
