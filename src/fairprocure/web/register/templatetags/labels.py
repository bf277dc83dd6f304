"""Template filters showing library ids (levels, severities, categories, factors) in the user's language."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from fairprocure.web import labels

register = template.Library()


@register.filter
def level_label(level: str) -> str:
    return labels.level_label(level)


@register.filter
def severity_label(severity: str) -> str:
    return labels.severity_label(severity)


@register.filter
def category_label(category: str, fallback: str = "") -> str:
    return labels.category_label(category, fallback)


@register.filter
def classification_status_label(status: str) -> str:
    return labels.classification_status_label(status)


@register.filter
def factor_label(factor: str) -> str:
    return labels.factor_label(factor)


@register.filter
def compact(amount: float | None) -> str:
    """A sum in a few characters, in the user's language: 950, 5 k, 12 k, 3.4 M, 1.2 bn."""
    amount = amount or 0.0
    for size, unit in ((1e9, _("bn")), (1e6, _("M")), (1e3, _("k"))):
        if abs(amount) >= size:
            return f"{floatformat(amount / size, '-1' if abs(amount) < 10 * size else '0')} {unit}"
    return floatformat(amount, "0")
