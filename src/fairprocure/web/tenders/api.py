"""The tenders API (a router of the workspace API): dossiers with stages, clauses, criteria; price checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.tenders import services
from fairprocure.web.tenders.models import Dossier

router = Router(tags=["tenders"])


class StageOut(Schema):
    stage: str
    checked: dict
    decisions: str
    signed_off: bool
    signed_off_by: str | None
    signed_off_at: dt.datetime | None

    @staticmethod
    def resolve_signed_off_by(obj) -> str | None:
        return obj.signed_off_by.username if obj.signed_off_by else None


class DossierOut(Schema):
    id: int
    office: str
    title: str
    kind: str
    category: str
    countries: list[str]
    language: str
    heightened: bool
    social_minimum: Decimal | None
    contract: int | None
    signed_on: dt.date | None

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_contract(obj) -> int | None:
        return obj.contract_id


class DossierDetailOut(DossierOut):
    stages: list[StageOut]
    clauses: list[dict]
    criteria: list[dict]
    criteria_problems: list[str]

    @staticmethod
    def resolve_stages(obj) -> list:
        return obj.stage_records()

    @staticmethod
    def resolve_clauses(obj) -> list[dict]:
        return [
            {"key": c.clause.key, "type": c.clause.type, "version": c.version.number}
            for c in obj.chosen.select_related("clause", "version")
        ]

    @staticmethod
    def resolve_criteria(obj) -> list[dict]:
        return [
            {
                "kind": c.kind,
                "title_en": c.title_en,
                "title_ru": c.title_ru,
                "social": c.social,
                "weight": str(c.weight) if c.weight is not None else None,
            }
            for c in obj.criteria.all()
        ]

    @staticmethod
    def resolve_criteria_problems(obj) -> list[str]:
        return services.criteria_problems(obj)


class RoleIn(Schema):
    name: str = "worker"
    headcount: Decimal
    hours_per_month: Decimal
    overtime_hours_per_month: Decimal = Decimal(0)
    overtime_premium: Decimal = Decimal(0)
    hourly_wage: Decimal = Decimal(0)


class PriceCheckIn(Schema):
    bidder: str
    price: Decimal
    months: Decimal
    contribution_rate: Decimal  # share of wages: 0.25 = 25%
    roles: list[RoleIn]
    other_costs: dict[str, Decimal] = {}
    on: dt.date | None = None


class PriceCheckOut(Schema):
    bidder: str
    price: Decimal
    currency: str
    lawful_cost: Decimal
    below: bool
    breakdown: list
    inputs: dict


class DossierFilters(Schema):
    office: str = ""


def _dossier(request, pk: int, action: Action = Action.VIEW) -> Dossier:
    item = get_object_or_404(Dossier.objects.select_related("office"), pk=pk)
    authorize(request.user, action, item.office)
    return item


@router.get("", response=list[DossierOut])
def dossiers(request, filters: Query[DossierFilters]):
    authorize(request.user, Action.VIEW)
    office = office_in_scope(request.user, filters.office)
    return Dossier.objects.filter(
        office__in=[office] if office else visible_offices(request.user)
    ).select_related("office")[:1000]


@router.get("/{pk}", response=DossierDetailOut)
def dossier(request, pk: int):
    return _dossier(request, pk)


@router.post("/{pk}/price-checks", response={201: PriceCheckOut})
def price_check(request, pk: int, payload: PriceCheckIn):
    item = _dossier(request, pk, Action.ACT)
    check = services.check_bid(
        item,
        request.user,
        bidder=payload.bidder,
        price=payload.price,
        months=payload.months,
        contribution_rate=payload.contribution_rate,
        roles=[r.dict() for r in payload.roles],
        other_costs=payload.other_costs,
        on=payload.on,
    )
    return Status(201, check)
