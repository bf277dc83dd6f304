"""The KPI API: every registered KPI for the offices you may see (or one), by year, with the trend."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router, Schema

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.kpis.table import compute_table

router = Router(tags=["kpis"])


class KpiOut(Schema):
    id: str
    label: str
    unit: str
    module: str
    value: float | None  # the organisation's (or the chosen office's) figure in the year
    numerator: float
    denominator: float | None
    trend: float | None  # change on the year before
    by_year: dict[int, float | None]
    by_office: dict[str, float | None]  # office code → figure in the year


@router.get("", response=list[KpiOut])
def kpis(request, year: int = 0, office: str = ""):
    authorize(request.user, Action.VIEW)
    chosen = office_in_scope(request.user, office)
    table = compute_table([chosen] if chosen else visible_offices(request.user), year or timezone.now().year)
    return [
        {
            "id": row.id,
            "label": str(row.kpi.label),
            "unit": row.kpi.unit,
            "module": row.kpi.module,
            "value": row.current.value,
            "numerator": row.current.measure.value,
            "denominator": row.current.measure.base,
            "trend": row.trend,
            "by_year": {y: cell.value for y, cell in row.organisation.items()},
            "by_office": {code: years[table.year].value for code, years in row.offices.items()},
        }
        for row in table.rows
    ]
