"""The activities API: list, record, one activity."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.activities.models import Activity
from fairprocure.web.activities.services import record_activity
from fairprocure.web.contracts.models import Contract
from fairprocure.web.tenders.models import Dossier

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    office: str
    kind: str
    title: str
    date: dt.date
    participants: int
    participant_roles: list[str]
    summary: str
    materials: str
    contracts: list[int]
    suppliers: list[str]
    dossier: int | None = None

    @staticmethod
    def resolve_dossier(obj) -> int | None:
        return obj.dossier_id

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_contracts(obj) -> list[int]:
        return [c.pk for c in obj.contracts.all()]


# a record's id as the database stores it (BigAutoField): larger numbers are refused as invalid input (422)
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ActivityIn(Schema):
    office: str
    kind: str
    title: str
    date: dt.date
    participants: int
    participant_roles: list[str] = []
    summary: str = ""
    materials: str = ""
    contracts: list[RecordId] = []
    suppliers: list[str] = []
    dossier: RecordId | None = None  # a pre-tender briefing: the tender dossier it prepared


@router.get("", response=list[ActivityOut])
def activities(request, office: str = "", year: int = 0, kind: str = ""):
    authorize(request.user, Action.VIEW)
    chosen = office_in_scope(request.user, office)
    found = Activity.objects.filter(office__in=[chosen] if chosen else visible_offices(request.user))
    if year:
        found = found.filter(date__year=year)
    if kind:
        found = found.filter(kind=kind)
    return found.select_related("office").prefetch_related("contracts")[:1000]


@router.post("", response={201: ActivityOut})
def add(request, payload: ActivityIn):
    office = office_in_scope(request.user, payload.office, Action.ACT)
    if office is None:
        raise ValueError("office: give the code of the office the activity belongs to")
    data = payload.dict()
    data.pop("office")
    data["contracts"] = list(Contract.objects.filter(pk__in=data["contracts"], office=office))
    if data["dossier"] is not None:
        data["dossier"] = get_object_or_404(Dossier, pk=data["dossier"], office=office)
    return Status(201, record_activity(office, request.user, **data))


@router.get("/{pk}", response=ActivityOut)
def activity(request, pk: int):
    item = get_object_or_404(Activity.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    return item
