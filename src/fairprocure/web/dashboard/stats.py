"""Recomputing an office's statistics from its lines (after a screening or a risk decision)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, FloatField, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Floor, Least, NullIf

from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.register.models import Line


@transaction.atomic
def refresh_office(office) -> None:
    """Replace the office's ``CellStat`` rows by a fresh aggregate of its lines."""
    rows = (
        Line.objects.filter(office=office, current=True)
        .annotate(
            level_now=Coalesce(NullIf(F("decided_level"), Value("")), F("risk_level")),
            band=Cast(Least(Floor(Coalesce(F("likelihood"), Value(0.0)) / 20), Value(4.0)), IntegerField()),
        )
        .values("category", "category_label", "level_now", "severity", "band")
        .annotate(
            n=Count("id"),
            spend=Coalesce(Sum("value_eur"), Value(0.0), output_field=FloatField()),
            score=Coalesce(Sum("risk_score"), Value(0.0), output_field=FloatField()),
            known=Coalesce(
                Sum("value_eur", filter=~Q(origin_country="")), Value(0.0), output_field=FloatField()
            ),
        )
    )
    CellStat.objects.filter(office=office).delete()
    CellStat.objects.bulk_create(
        CellStat(
            office=office,
            category=r["category"],
            category_label=r["category_label"],
            level=r["level_now"],
            severity=r["severity"],
            likelihood_band=max(0, r["band"]),
            lines=r["n"],
            spend_eur=r["spend"],
            spend_known_origin_eur=r["known"],
            score_sum=r["score"],
        )
        for r in rows
    )


def office_totals(office) -> dict:
    """Lines, spend and risk counts of an office, as kept in a screening's summary."""
    totals = {"lines": 0, "spend_eur": 0.0, "spend_known_origin_eur": 0.0, "high_or_critical": 0}
    for cell in CellStat.objects.filter(office=office):
        totals["lines"] += cell.lines
        totals["spend_eur"] += cell.spend_eur
        totals["spend_known_origin_eur"] += cell.spend_known_origin_eur
        if cell.level in ("high", "critical"):
            totals["high_or_critical"] += cell.lines
    return totals
