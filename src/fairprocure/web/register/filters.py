"""Filtering, searching and sorting register lines: shared by the page, the exports and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fairprocure.web.register.models import Line

SORTS = {
    "priority": "-priority",
    "risk": "-risk_score",
    "value": "-value_eur",
    "date": "-date",
    "supplier": "supplier_name",
}


def filter_lines(
    lines: QuerySet[Line],
    *,
    level: str = "",
    category: str = "",
    severity: str = "",
    q: str = "",
    sort: str = "priority",
) -> QuerySet[Line]:
    """Apply the register's filters; unknown sort keys fall back to priority."""
    if level:
        lines = lines.filter(Q(decided_level=level) | Q(decided_level="", risk_level=level))
    if category:
        lines = lines.filter(category=category)
    if severity:
        lines = lines.filter(severity=severity)
    if q:
        lines = lines.filter(
            Q(description__icontains=q)
            | Q(supplier_name__icontains=q)
            | Q(contract_id__icontains=q)
            | Q(line_id=q)
        )
    return lines.order_by(SORTS.get(sort, "-priority"), "pk")
