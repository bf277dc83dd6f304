"""Loading a contract's supply-chain map from the database into the plain rules of ``supply_chain``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fairprocure.web.suppliers import supply_chain as sc
from fairprocure.web.suppliers.models import SupplyChainNode

LEVEL_LABELS = {
    "none": _("no supply chain disclosed"),
    "contractor": _("the contractor only"),
    "subcontractors": _("to the first tier: subcontractors, labour agencies or sites"),
    "factory": _("to the factory of production"),
    "components": _("to the components and raw materials"),
}


def diagram(nodes: list[sc.Node], flags: dict[int, str]) -> str:
    """The map's SVG with tier names in the reader's language."""
    kinds = {k: str(label) for k, label in SupplyChainNode.Kind.choices}
    return sc.svg(nodes, flags, kinds=kinds)


def nodes_of(contract) -> tuple[list[SupplyChainNode], list[sc.Node]]:
    rows = list(SupplyChainNode.objects.filter(contract=contract).order_by("pk"))
    return rows, [_node(r) for r in rows]


def _node(r: SupplyChainNode) -> sc.Node:
    return sc.Node(
        r.pk, r.parent_id, r.kind, r.name, r.country, r.good, r.final_assembly, r.disclosed_on, r.outcome
    )


def flags_of(nodes: list[sc.Node]) -> dict[int, str]:
    return {n.id: flag for n in nodes if (flag := sc.dol_flag(n.good, n.country))}


def contract_levels(offices, year: int | None = None):
    """(contract, transparency level) for every contract of ``offices`` with a map (disclosed in ``year``)."""
    from fairprocure.web.contracts.models import Contract

    rows = SupplyChainNode.objects.filter(contract__office__in=offices)
    if year is not None:
        rows = rows.filter(disclosed_on__year=year)
    ids = set(rows.values_list("contract_id", flat=True))
    for contract in Contract.objects.filter(pk__in=ids):
        _, nodes = nodes_of(contract)
        yield contract, sc.transparency(nodes)
