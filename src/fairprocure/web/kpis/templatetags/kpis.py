"""Showing a KPI figure in its unit and a trend with its sign."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def kpi_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{floatformat(value, 1)} %"
    if unit == "eur":
        return f"{floatformat(value, '0g')} EUR"
    if unit == "days":
        return f"{floatformat(value, 1)} d"
    return floatformat(value, "0g")


@register.filter
def kpi_trend(value, unit: str) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + kpi_value(abs(value), unit).replace(" %", " pp")
