"""The findings API: findings with their corrective action plan and remedies (never a worker's words),
raising one, the plan's steps, remedy and escalation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.findings import services
from fairprocure.web.findings.models import Finding

router = Router(tags=["findings"])


class RemedyOut(Schema):
    kind: str
    workers: int
    amount: Decimal | None
    currency: str
    paid_on: dt.date


class FindingOut(Schema):
    id: int
    office: str
    contract: int
    supplier: str
    source: str
    title: str
    description: str
    severity: str
    indicators: list[str]
    status: str
    raised_on: dt.date
    deadline: dt.date
    root_cause: str
    corrective_action: str
    preventive_action: str
    owner: str
    evidence_note: str
    verified_on: dt.date | None
    verification_note: str
    closed_on: dt.date | None
    addressed_on: dt.date | None
    remedies: list[RemedyOut]

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_contract(obj) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_remedies(obj) -> list:
        return list(obj.remedies.all())


class FindingIn(Schema):
    title: str
    severity: str
    source: str = "audit"
    description: str = ""
    indicators: list[str] = []
    supplier: str = ""


class PlanIn(Schema):
    root_cause: str = ""
    corrective_action: str = ""
    preventive_action: str = ""
    owner: str = ""
    agree: bool = False


class EvidenceIn(Schema):
    note: str


class VerificationIn(Schema):
    accepted: bool
    note: str


class RemedyIn(Schema):
    kind: str
    workers: int
    paid_on: dt.date
    amount: Decimal | None = None
    currency: str = ""
    note: str = ""


class EscalationIn(Schema):
    step: str
    reason: str
    supplier: str = ""
    reform_required: str = ""
    review_date: dt.date | None = None


class EscalationOut(Schema):
    id: int
    contract: int
    supplier: str
    step: str
    reason: str
    reform_required: str
    review_date: dt.date | None
    supplier_status: str

    @staticmethod
    def resolve_contract(obj) -> int:
        return obj.contract_id


class Filters(Schema):
    office: str = ""
    status: str = ""
    severity: str = ""


def _finding(request, pk: int, action: Action = Action.VIEW) -> Finding:
    item = get_object_or_404(Finding.objects.select_related("office"), pk=pk)
    authorize(request.user, action, item.office)
    return item


@router.get("", response=list[FindingOut])
def findings(request, filters: Query[Filters]):
    authorize(request.user, Action.VIEW)
    office = office_in_scope(request.user, filters.office)
    found = Finding.objects.filter(office__in=[office] if office else visible_offices(request.user))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.severity:
        found = found.filter(severity=filters.severity)
    return found.select_related("office").prefetch_related("remedies")[:1000]


@router.get("/{pk}", response=FindingOut)
def finding(request, pk: int):
    return _finding(request, pk)


@router.post("/contracts/{pk}", response={201: FindingOut})
def raise_finding(request, pk: int, payload: FindingIn):
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.ACT, contract.office)
    if payload.source in ("interview", "grievance"):
        raise ValueError("raise findings from interviews and grievances on their own pages")
    return Status(201, services.raise_finding(contract, request.user, **payload.dict()))


@router.post("/{pk}/plan", response=FindingOut)
def save_plan(request, pk: int, payload: PlanIn):
    item = _finding(request, pk, Action.ACT)
    data = payload.dict()
    return services.save_plan(item, request.user, agree=data.pop("agree"), **data)


@router.post("/{pk}/evidence", response=FindingOut)
def evidence(request, pk: int, payload: EvidenceIn):
    return services.submit_evidence(_finding(request, pk, Action.ACT), request.user, note=payload.note)


@router.post("/{pk}/verification", response=FindingOut)
def verification(request, pk: int, payload: VerificationIn):
    item = _finding(request, pk, Action.ASSESS)
    return services.verify(item, request.user, accepted=payload.accepted, note=payload.note)


@router.post("/{pk}/close", response=FindingOut)
def close(request, pk: int):
    return services.close(_finding(request, pk, Action.ASSESS), request.user)


@router.post("/{pk}/address", response=FindingOut)
def address(request, pk: int):
    """Address the finding to its supplier: shown in the supplier portal from now on."""
    return services.address_to_supplier(_finding(request, pk, Action.ACT), request.user)


@router.post("/{pk}/remedies", response={201: RemedyOut})
def remedy(request, pk: int, payload: RemedyIn):
    item = _finding(request, pk, Action.ACT)
    return Status(201, services.record_remedy(item, request.user, **payload.dict()))


@router.post("/contracts/{pk}/escalations", response={201: EscalationOut})
def escalate(request, pk: int, payload: EscalationIn):
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.SANCTION, contract.office)
    return Status(201, services.escalate(contract, request.user, **payload.dict()))
