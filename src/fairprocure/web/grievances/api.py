"""The grievances API: focal points only. Other roles get 403 on every endpoint; the public intake has
no API (it is the HTML form, which needs no JavaScript)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, visible_offices
from fairprocure.web.grievances import services
from fairprocure.web.grievances.models import Case

router = Router(tags=["grievances"])


class CaseOut(Schema):
    id: int
    office: str | None
    topic: str
    status: str
    received_at: dt.datetime
    acknowledge_by: dt.datetime
    acknowledged_at: dt.datetime | None
    timer: str
    immediate_danger: bool
    anonymous: bool
    contract: int | None
    finding: int | None

    @staticmethod
    def resolve_office(obj) -> str | None:
        return obj.office.code if obj.office else None

    @staticmethod
    def resolve_timer(obj) -> str:
        return services.timer(obj)

    @staticmethod
    def resolve_contract(obj) -> int | None:
        return obj.contract_id

    @staticmethod
    def resolve_finding(obj) -> int | None:
        return obj.finding_id


class CaseDetailOut(CaseOut):
    account: str
    workplace: str
    contact: str
    messages: list[dict]

    @staticmethod
    def resolve_account(obj) -> str:
        return services.clear(obj)["account"]

    @staticmethod
    def resolve_workplace(obj) -> str:
        return services.clear(obj)["workplace"]

    @staticmethod
    def resolve_contact(obj) -> str:
        return services.clear(obj)["contact"]

    @staticmethod
    def resolve_messages(obj) -> list[dict]:
        return [
            {"author": m["author"], "at": m["at"].isoformat(), "text": m["text"]}
            for m in services.thread(obj)
        ]


class ReplyIn(Schema):
    message: str


@router.get("", response=list[CaseOut])
def cases(request):
    authorize(request.user, Action.CONFIDENTIAL)
    offices = visible_offices(request.user, Action.CONFIDENTIAL)
    return Case.objects.filter(Q(office__in=offices) | Q(office__isnull=True)).select_related("office")[:1000]


def _case(request, pk: int) -> Case:
    authorize(request.user, Action.CONFIDENTIAL)
    item = get_object_or_404(Case.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.CONFIDENTIAL, item.office)
    return item


@router.get("/{pk}", response=CaseDetailOut)
def case(request, pk: int):
    return _case(request, pk)


@router.post("/{pk}/messages", response={201: dict})
def reply(request, pk: int, payload: ReplyIn):
    item = _case(request, pk)
    services.reply(item, request.user, payload.message)
    return Status(201, {"case": item.pk, "status": item.status})
