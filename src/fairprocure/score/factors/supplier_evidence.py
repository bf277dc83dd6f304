"""Supplier-specific evidence (questionnaires, audits, grievances), loaded with ``--supplier-evidence``.

Moves a line's risk in either direction, within ``policy.supplier.max_points``, with each piece of
evidence and its source recorded.
"""

from __future__ import annotations

from fairprocure.messages import Number, template
from fairprocure.score.model import Context, Factor

NAME = "supplier"
KEY = ("supplier_key",)
# The evidence itself is the buyer's own words, shown as written; only the limit is a sentence of ours.
EVIDENCE = template("supplier.evidence", "%(items)s")
LIMITED = template(
    "supplier.limited",
    "%(items)s — total %(total)s limited to %(points)s",
    total=Number("+g"),
    points=Number("+g"),
)


def active(context: Context) -> bool:
    return bool(context.suppliers)


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    items = context.suppliers.by_supplier.get(key["supplier_key"], [])
    if not items:
        return []
    limit = context.policy.supplier.max_points
    total = sum(i.points for i in items)
    points = round(max(-limit, min(limit, total)), 2)
    said = "; ".join(f"{i.evidence} ({i.points:+g}{', ' + i.date if i.date else ''})" for i in items)
    evidence = LIMITED(items=said, total=total, points=points) if points != total else EVIDENCE(items=said)
    sources = "; ".join(sorted({i.source for i in items}))
    return [Factor("supplier_evidence", points, evidence, sources)] if points else []
