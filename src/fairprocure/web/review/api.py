"""The review API (a router added to the workspace API): the queue, decisions, the text model."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, everywhere, office_in_scope
from fairprocure.web.review import services, training
from fairprocure.web.review.models import CategoryDecision

router = Router(tags=["review"])


class QueueFilters(Schema):
    office: str
    by: str = "description"  # or "supplier"
    q: str = ""
    limit: int = 100


class CandidateOut(Schema):
    category: str
    cpv: str
    probability: float


class QueueItemOut(Schema):
    kind: str
    text: str
    key: str
    lines: int
    spend_eur: float
    spellings: list[str]
    candidates: list[CandidateOut]


class DecisionIn(Schema):
    description: str = ""
    supplier: str = ""
    category: str = ""
    cpv: str = ""
    note: str = ""
    organisation_wide: bool = False


class DecisionOut(Schema):
    id: int
    office: str | None  # None: the whole organisation
    description: str
    supplier: str
    category: str
    cpv: str
    note: str
    decided_by: str
    at: dt.datetime
    lines: int
    spend_eur: float
    in_force: bool
    ended_how: str

    @staticmethod
    def resolve_office(obj) -> str | None:
        return obj.office.code if obj.office_id else None


class ModelOut(Schema):
    model: str  # "organisation" or "shipped"
    trained_at: dt.datetime | None
    examples: int
    held_out: int
    accuracy_before: float | None
    accuracy_after: float | None
    retraining: bool


def _office(user, code: str, action: Action):
    office = office_in_scope(user, code, action)
    if office is None:
        raise HttpError(422, "give the office's code")
    return office


@router.get("/queue", response=list[QueueItemOut])
def queue(request, filters: Query[QueueFilters]):
    """What needs review in an office, largest spend first, with the text model's candidates."""
    office = _office(request.user, filters.office, Action.VIEW)
    by = "supplier" if filters.by == "supplier" else "description"
    items = services.queue([office], by=by, q=filters.q)[: max(1, min(filters.limit, 1000))]
    return [
        {
            "kind": i.kind,
            "text": i.text,
            "key": i.key,
            "lines": i.lines,
            "spend_eur": round(i.spend_eur, 2),
            "spellings": list(i.spellings),
            "candidates": [c.__dict__ for c in i.candidates],
        }
        for i in items
    ]


@router.get("/decisions", response=list[DecisionOut])
def decisions(request, office: str):
    """The decisions in force for an office: the organisation's and its own."""
    return services.in_force(_office(request.user, office, Action.VIEW))


@router.post("/offices/{office}/decisions", response={201: DecisionOut})
def decide(request, office: str, payload: DecisionIn):
    """Decide what a description or a supplier's lines are, for the office (or, ``organisation_wide``, for
    every office); every matching line is classified now and in later screenings."""
    office = _office(request.user, office, Action.CLASSIFY)
    if payload.organisation_wide and not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may decide for the whole organisation")
    try:
        decision = services.decide(
            request.user,
            office,
            organisation_wide=payload.organisation_wide,
            description=payload.description,
            supplier=payload.supplier,
            category=payload.category,
            cpv=payload.cpv,
            note=payload.note,
        )
    except services.DecisionError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, decision)


@router.post("/decisions/{pk}/withdraw", response=DecisionOut)
def withdraw(request, pk: int):
    """End a decision: its lines go back to the other decisions in force or to the text reading."""
    decision = get_object_or_404(CategoryDecision.objects.select_related("office"), pk=pk)
    if decision.office_id:
        authorize(request.user, Action.CLASSIFY, decision.office)
    elif not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may withdraw an organisation-wide decision")
    try:
        return services.withdraw(request.user, decision)
    except services.DecisionError as exc:
        raise HttpError(422, str(exc)) from None


@router.get("/model", response=ModelOut)
def model(request, office: str):
    """Which text model the office's screenings use, when it was trained and what it learned."""
    organisation = _office(request.user, office, Action.VIEW).organisation
    run = training.in_use(organisation)
    return {
        "model": "organisation" if run else "shipped",
        "trained_at": run.finished if run else None,
        "examples": run.examples if run else 0,
        "held_out": run.held_out if run else 0,
        "accuracy_before": run.accuracy_before if run else None,
        "accuracy_after": run.accuracy_after if run else None,
        "retraining": training.busy(organisation) is not None,
    }
