"""Template filters for the library's texts in the reader's language (see ``evidence/text.py``)."""

from __future__ import annotations

from django import template

from fairprocure.web.evidence import text

register = template.Library()


@register.filter
def factor_evidence(factor: dict) -> str:
    return text.factor_evidence(factor)


@register.filter
def message_text(stored, fallback: str = "") -> str:
    return text.message_text(stored, fallback)


@register.filter
def issue_text(issue) -> str:
    return text.issue_text(issue)


@register.filter
def source_text(source: str) -> str:
    return text.source_text(source)


@register.filter
def country(iso3: str) -> str:
    return text.country_name(iso3) if iso3 else ""


@register.filter
def record_text(source_record: str) -> str:
    return text.record_text(source_record)
