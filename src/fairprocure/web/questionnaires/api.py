"""Questionnaire API routers: templates (for the tender annex), responses for buyers, and the supplier
portal's own endpoints (``/api/portal/...``: a supplier's account sees its own records only)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from fairprocure.web.accounts.permissions import Action, authorize, portal_supplier, visible_offices
from fairprocure.web.questionnaires import services
from fairprocure.web.questionnaires.models import Evidence, Response

router = Router(tags=["questionnaires"])
portal_router = Router(tags=["supplier portal"])


class ResponseOut(Schema):
    id: int
    supplier: str
    template: str
    version: int
    variant: str
    status: str
    risk: float | None
    red_flags: list[dict]
    acknowledged: list[str]
    submitted: dt.datetime | None
    reviewed: dt.datetime | None
    review_note: str

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_template(obj) -> str:
        return obj.version.template.slug

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version.version


class EvidenceOut(Schema):
    id: int
    title: str
    file_name: str
    expires_on: dt.date
    uploaded: dt.datetime


class ReviewIn(Schema):
    decision: str
    note: str = ""


@router.get("/templates")
def templates(request) -> list[dict]:
    """Every questionnaire template by name and latest version (the tender annex cites them)."""
    authorize(request.user, Action.VIEW)
    return services.templates_for_tenders()


def _response(request, pk: int, action: Action) -> tuple[Response, object]:
    item = get_object_or_404(Response.objects.select_related("supplier", "version__template"), pk=pk)
    authorize(request.user, Action.VIEW)
    offices = [
        i.office
        for i in item.invitations.select_related("office")
        if i.office in visible_offices(request.user, action)
    ]
    if not offices:
        raise PermissionDenied("no office of yours may do this with these answers")
    return item, offices[0]


@router.get("/responses/{pk}", response=ResponseOut)
def response(request, pk: int):
    return _response(request, pk, Action.VIEW)[0]


@router.post("/responses/{pk}/review", response=ResponseOut)
def review(request, pk: int, payload: ReviewIn):
    item, office = _response(request, pk, Action.INVITE)
    return services.review(item, payload.decision, payload.note, request.user, office)


@portal_router.get("/questionnaires", response=list[ResponseOut])
def my_questionnaires(request):
    return Response.objects.filter(supplier=portal_supplier(request.user)).select_related(
        "version__template", "supplier"
    )


@portal_router.get("/evidence", response=list[EvidenceOut])
def my_evidence(request):
    return Evidence.objects.filter(supplier=portal_supplier(request.user))


@portal_router.get("/findings")
def my_findings(request) -> list:
    from fairprocure.web.questionnaires.portal import findings_for

    return [str(f) for f in findings_for(portal_supplier(request.user))]
