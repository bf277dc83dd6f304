"""Supplier-specific evidence (questionnaires, audits, grievances), loaded with ``--supplier-evidence``.

Moves a line's risk in either direction, within ``policy.supplier.max_points``, with each piece of
evidence and its source recorded.
"""

from __future__ import annotations

from fairprocure.score.model import Context, Factor

NAME = "supplier"
KEY = ("supplier_key",)


def active(context: Context) -> bool:
    return bool(context.suppliers)


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    items = context.suppliers.by_supplier.get(key["supplier_key"], [])
    if not items:
        return []
    limit = context.policy.supplier.max_points
    total = sum(i.points for i in items)
    points = round(max(-limit, min(limit, total)), 2)
    evidence = "; ".join(f"{i.evidence} ({i.points:+g}{', ' + i.date if i.date else ''})" for i in items)
    if points != total:
        evidence += f" — total {total:+g} limited to {points:+g}"
    sources = "; ".join(sorted({i.source for i in items}))
    return [Factor("supplier_evidence", points, evidence, sources)] if points else []
