"""The contracts API (a router added to the workspace API): list, detail, assess, move status."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.services import assess, change_status
from fairprocure.web.contracts.views import filter_contracts

router = Router(tags=["contracts"])


class ContractOut(Schema):
    id: int
    office: str
    key: str
    label: str
    contract_id: str
    grouped: bool
    period: str
    status: str
    high_risk: bool | None
    assessed_at: dt.datetime | None
    line_count: int
    value_eur: float
    high_lines: int
    top_score: float
    top_level: str
    suppliers: list[dict]
    categories: list[dict]
    first_date: dt.date | None
    last_date: dt.date | None
    in_register: bool

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)


class AssessmentIn(Schema):
    high_risk: bool
    justification: str
    measures: str = ""


class AssessmentOut(Schema):
    high_risk: bool
    justification: str
    measures: str
    assessed_by: str
    at: dt.datetime

    @staticmethod
    def resolve_assessed_by(obj) -> str:
        return obj.assessed_by.username


class ContractDetailOut(ContractOut):
    assessments: list[AssessmentOut]

    @staticmethod
    def resolve_assessments(obj) -> list:
        return list(obj.assessments.select_related("assessed_by"))


class StatusIn(Schema):
    status: str
    note: str = ""


class ContractFilters(Schema):
    office: str = ""
    status: str = ""
    risk: str = ""
    q: str = ""
    limit: int = 100
    offset: int = 0


@router.get("", response=list[ContractOut])
def contracts(request, filters: Query[ContractFilters]):
    authorize(request.user, Action.VIEW)
    office = office_in_scope(request.user, filters.office)
    found = Contract.objects.filter(office__in=[office] if office else visible_offices(request.user))
    found = filter_contracts(found, status=filters.status, risk=filters.risk, q=filters.q).select_related(
        "office"
    )
    start = max(filters.offset, 0)
    return found[start : start + min(max(filters.limit, 1), 1000)]


def _contract(request, pk: int, action: Action = Action.VIEW) -> Contract:
    item = get_object_or_404(Contract.objects.select_related("office"), pk=pk)
    authorize(request.user, action, item.office)
    return item


@router.get("/{pk}", response=ContractDetailOut)
def contract(request, pk: int):
    return _contract(request, pk)


@router.post("/{pk}/assessments", response={201: AssessmentOut})
def assessment(request, pk: int, payload: AssessmentIn):
    item = _contract(request, pk, Action.ASSESS)
    return Status(201, assess(item, payload.high_risk, payload.justification, payload.measures, request.user))


@router.post("/{pk}/status", response=ContractOut)
def move(request, pk: int, payload: StatusIn):
    item = _contract(request, pk, Action.ACT)
    change_status(item, payload.status, payload.note, request.user)
    return item
