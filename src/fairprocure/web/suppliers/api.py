"""The supplier registry's API (a router added to the workspace API)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from fairprocure.web.accounts.permissions import Action, authorize, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.suppliers import registry
from fairprocure.web.suppliers import supply_chain as sc
from fairprocure.web.suppliers.maps import flags_of, nodes_of
from fairprocure.web.suppliers.models import Supplier

router = Router(tags=["suppliers"])


class SupplierOut(Schema):
    id: int
    name: str
    country: str
    status: str
    status_reason: str
    reform_required: str
    review_date: dt.date | None
    spellings: list[str]
    identifiers: list[dict]

    @staticmethod
    def resolve_spellings(obj) -> list[str]:
        return obj.spellings()

    @staticmethod
    def resolve_identifiers(obj) -> list[dict]:
        return [{"scheme": i.scheme, "value": i.value} for i in obj.identifiers.all()]


class StatusIn(Schema):
    move: str  # suspend / exclude / reinstate
    reason: str
    reform_required: str = ""
    review_date: dt.date | None = None


@router.get("", response=list[SupplierOut])
def suppliers(request, q: str = "", limit: int = 100, offset: int = 0):
    authorize(request.user, Action.VIEW)
    found = Supplier.objects.filter(merged_into__isnull=True)
    if q:
        found = found.filter(names__name__icontains=q).distinct()
    start = max(offset, 0)
    return found[start : start + min(max(limit, 1), 1000)]


@router.get("/{pk}", response=SupplierOut)
def supplier(request, pk: int):
    authorize(request.user, Action.VIEW)
    return get_object_or_404(Supplier, pk=pk).current()


@router.post("/{pk}/status", response=SupplierOut)
def status(request, pk: int, payload: StatusIn):
    authorize(request.user, Action.SANCTION)
    item = get_object_or_404(Supplier, pk=pk).current()
    if payload.move == "suspend":
        registry.suspend(item, payload.reason, payload.reform_required, payload.review_date, request.user)
    elif payload.move == "exclude":
        registry.exclude(item, payload.reason, request.user)
    elif payload.move == "reinstate":
        registry.reinstate(item, payload.reason, request.user)
    else:
        raise ValueError("move: suspend, exclude or reinstate")
    item.refresh_from_db()
    return item


@router.get("/maps/{contract_pk}")
def supply_map(request, contract_pk: int) -> dict:
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=contract_pk)
    authorize(request.user, Action.VIEW, contract.office)
    if contract.office not in visible_offices(request.user):
        authorize(request.user, Action.VIEW, contract.office)
    rows, nodes = nodes_of(contract)
    flags = flags_of(nodes)
    return {
        "contract": contract.pk,
        "transparency": sc.transparency(nodes),
        "nodes": [
            {
                "id": r.pk,
                "parent": r.parent_id,
                "kind": r.kind,
                "name": r.name,
                "country": r.country,
                "role": r.role,
                "good": r.good,
                "final_assembly": r.final_assembly,
                "osh_id": r.osh_id,
                "identifier": r.identifier,
                "disclosed_on": r.disclosed_on,
                "outcome": r.outcome,
                "dol_list": flags.get(r.pk, ""),
            }
            for r in rows
        ],
    }
