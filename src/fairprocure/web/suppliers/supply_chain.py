"""A contract's supply-chain map: transparency level, DOL-list checks and the diagram, as plain rules.

Nodes are plain :class:`Node` values (the view converts model rows); tiers run contractor →
subcontractor or labour agency → site or factory → component or raw material.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

TIER = {
    "contractor": 0, "subcontractor": 1, "labour_agency": 1, "site": 2, "factory": 2,
    "component": 3, "raw_material": 4,
}  # fmt: skip
# Transparency levels, from least to most: what the map discloses, down every branch.
LEVELS = ("none", "contractor", "subcontractors", "factory", "components")
LEVEL_TEXT = {
    "none": "no supply chain disclosed",
    "contractor": "the contractor only",
    "subcontractors": "to the first tier: subcontractors, labour agencies or sites",
    "factory": "to the factory of production",
    "components": "to the components and raw materials",
}


@dataclass
class Node:
    id: int
    parent: int | None
    kind: str
    name: str
    country: str = ""
    good: str = ""
    final_assembly: bool = False
    disclosed_on: dt.date | None = None
    outcome: str = "achieved"
    children: list[Node] = field(default_factory=list)


@lru_cache(maxsize=1)
def _listings() -> dict[str, dict[str, object]]:
    from fairprocure.reference import ilab

    return {
        iso: {listing.good.casefold(): listing for listing in listings}
        for iso, listings in ilab.listings_by_country().items()
    }


def dol_flag(good: str, country: str) -> str:
    """Why the good from this country is on the US DOL List of Goods ("" when it is not)."""
    if not good or not country:
        return ""
    listing = _listings().get(country.upper(), {}).get(good.strip().casefold())
    if listing is None:
        return ""
    kinds = [
        k
        for k, on in (("forced labour", listing.forced_labour), ("child labour", listing.child_labour))
        if on
    ]
    return f"{listing.good} from {listing.country_name}: US DOL List of Goods ({' and '.join(kinds) or 'listed'}), 2022"


def dol_goods() -> list[str]:
    """Every good on the DOL list, for the form's suggestions."""
    return sorted({listing.good for goods in _listings().values() for listing in goods.values()})


def tree(nodes: list[Node]) -> list[Node]:
    """The roots (contractors), with ``children`` filled."""
    by_id = {n.id: n for n in nodes}
    for n in nodes:
        n.children = []
    roots = []
    for n in nodes:
        parent = by_id.get(n.parent) if n.parent else None
        (parent.children if parent else roots).append(n)
    return roots


def _disclosed(node: Node) -> bool:
    return node.disclosed_on is not None or node.outcome == "due_diligence"


def transparency(nodes: list[Node]) -> str:
    """How far down the chain is disclosed, on every branch (one of ``LEVELS``).

    "subcontractors" needs every link under the contractor disclosed (or due diligence shown); a labour
    agency with nothing under it is a whole branch (it supplies workers, not goods);

    "factory" (to the factory of production) needs every branch from the contractor to reach a
    disclosed site or factory, and a factory of final production among them; "components" needs, in
    addition, every factory to disclose its components or raw materials.
    """
    roots = [n for n in tree(nodes) if n.kind == "contractor"]
    if not roots:
        return "none"

    def reaches(node: Node, tiers: set[str]) -> bool:
        if node.kind in tiers:
            return _disclosed(node)
        if node.kind == "labour_agency" and not node.children:  # supplies workers, not goods: a whole branch
            return _disclosed(node)
        return bool(node.children) and all(
            reaches(c, tiers) for c in node.children if TIER.get(c.kind, 9) > TIER[node.kind]
        )

    factories = {"site", "factory"}
    final = any(n.final_assembly and n.kind in factories and _disclosed(n) for n in nodes)
    if all(reaches(r, factories) for r in roots) and final:

        def deep(node: Node) -> bool:
            if node.kind == "labour_agency" and not node.children:
                return True
            if node.kind in factories:
                parts = [c for c in node.children if c.kind in ("component", "raw_material")]
                return bool(parts) and all(_disclosed(p) for p in parts)
            return all(deep(c) for c in node.children if TIER.get(c.kind, 9) > TIER[node.kind])

        return "components" if all(deep(r) for r in roots) else "factory"
    if all(r.children and all(_disclosed(c) for c in r.children) for r in roots):
        return "subcontractors"
    return "contractor"


def at_least(level: str, floor: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(floor)


def svg(
    nodes: list[Node],
    flags: dict[int, str],
    width_per_tier: int = 210,
    row: int = 56,
    kinds: dict | None = None,
) -> str:
    """The map as an SVG tree (no script, no inline style): one column per tier, flagged nodes marked.

    ``kinds`` names the tiers (e.g. translated); by default their ids are shown.
    """
    kinds = kinds or {}
    roots = tree(nodes)
    placed: dict[int, tuple[int, int]] = {}
    next_row = [0]

    def place(node: Node, depth: int) -> None:
        if node.children:
            for child in node.children:
                place(child, depth + 1)
            ys = [placed[c.id][1] for c in node.children]
            placed[node.id] = (depth, (min(ys) + max(ys)) // 2)
        else:
            placed[node.id] = (depth, next_row[0] * row)
            next_row[0] += 1

    for root in roots:
        place(root, 0)
    depth = max((d for d, _ in placed.values()), default=0) + 1
    height = max(next_row[0], 1) * row + 10
    width = depth * width_per_tier
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="supply-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="map-title">',
        '<title id="map-title">Supply-chain map</title>',
    ]
    for n in nodes:
        if n.parent in placed and n.id in placed:
            (pd, py), (cd, cy) = placed[n.parent], placed[n.id]
            x1, x2 = pd * width_per_tier + 180, cd * width_per_tier
            parts.append(
                f'<path class="link" d="M{x1},{py + 25} C{x1 + 15},{py + 25} {x2 - 15},{cy + 25} {x2},{cy + 25}"/>'
            )
    for n in nodes:
        d, y = placed[n.id]
        x = d * width_per_tier
        cls = "node flagged" if flags.get(n.id) else ("node" if _disclosed(n) else "node undisclosed")
        label = escape(n.name[:28])
        tier = kinds.get(n.kind, n.kind.replace("_", " "))
        sub = " · ".join(p for p in (tier, n.country, n.good) if p)
        sub = escape(sub if len(sub) <= 30 else sub[:29] + "…")
        tip = escape(flags.get(n.id) or "")
        parts.append(f'<g class="{cls}" id="node-{n.id}"><title>{label}{" — " + tip if tip else ""}</title>')
        parts.append(f'<rect x="{x}" y="{y + 5}" width="180" height="42" rx="6"/>')
        parts.append(f'<text x="{x + 8}" y="{y + 22}" class="name">{label}</text>')
        parts.append(f'<text x="{x + 8}" y="{y + 39}" class="sub">{"⚑ " if tip else ""}{sub}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
