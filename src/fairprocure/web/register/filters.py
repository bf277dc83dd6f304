"""Filtering, searching and sorting register lines: shared by the page, the exports and the API."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fairprocure.web.register.models import Line

SORTS = {  # key: (label, ordering); missing values always last
    "priority": (_("priority (whole organisation)"), F("effective_priority").desc()),  # ranking.ORDER
    "risk": (_("risk score"), F("risk_score").desc(nulls_last=True)),
    "value": (_("value"), F("value_eur").desc(nulls_last=True)),
    "date": (_("date, newest first"), F("date").desc(nulls_last=True)),
    "supplier": (_("supplier"), F("supplier_name").asc()),
}
DECISIONS = {
    "decided": _("a decision in force"),
    "stale": _("a decision to look at again"),
    "none": _("no decision"),
}


def filter_lines(
    lines: QuerySet[Line],
    *,
    level: str = "",
    category: str = "",
    severity: str = "",
    q: str = "",
    decision: str = "",
    sort: str = "priority",
) -> QuerySet[Line]:
    """Apply the register's filters; unknown sort keys fall back to priority."""
    if level:
        lines = lines.filter(
            level_in_force=level
        )  # decided_level, else risk_level (ranking.refresh_effective)
    if category:
        lines = lines.filter(category=category)
    if severity:
        lines = lines.filter(severity=severity)
    if decision == "decided":
        lines = lines.exclude(decided_level="")
    elif decision == "stale":
        lines = lines.filter(decision_stale=True)
    elif decision == "none":
        lines = lines.filter(decision__isnull=True)
    if q:
        lines = lines.filter(
            Q(description__icontains=q)
            | Q(supplier_name__icontains=q)
            | Q(contract_id__icontains=q)
            | Q(line_id=q)
            | Q(record_id=q)
        )
    if sort not in SORTS or sort == "priority":
        return lines.order_by(F("effective_priority").desc(), F("risk_score").desc(), "pk")
    return lines.order_by(SORTS[sort][1], "pk")


def categories_of(offices) -> list[tuple[str, str]]:
    """(id, label in the reader's language) of the categories with lines in ``offices``, by label.

    Read from the offices' statistics (a few hundred rows), not from the lines.
    """
    from fairprocure.web.dashboard.models import CellStat
    from fairprocure.web.labels import category_label

    found = CellStat.objects.filter(office__in=offices).values_list("category", "category_label").distinct()
    labelled = {category: category_label(category, label) for category, label in found}
    return sorted(labelled.items(), key=lambda item: item[1].casefold())
