"""``{% supplier_status name %}``: a badge beside a supplier's name when it is suspended or excluded.

Used on register lines and line pages. One query per request: the spellings of sanctioned suppliers.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def sanctioned_spellings() -> dict[str, object]:
    from fairprocure.web.suppliers import status as st
    from fairprocure.web.suppliers.models import SupplierName

    found = SupplierName.objects.filter(supplier__status__in=[st.SUSPENDED, st.EXCLUDED]).select_related(
        "supplier"
    )
    return {spelling.name: spelling.supplier for spelling in found}


@register.simple_tag(takes_context=True)
def supplier_status(context, name: str) -> str:
    request = context.get("request")
    cache = getattr(request, "_sanctioned_spellings", None)
    if cache is None:
        cache = sanctioned_spellings()
        if request is not None:
            request._sanctioned_spellings = cache
    supplier = cache.get(name or "")
    if supplier is None:
        return ""
    label = supplier.get_status_display()
    if supplier.review_date:
        label = f"{label} · {supplier.review_date.isoformat()}"
    return format_html(
        '<a class="badge status-{}" href="{}" title="{}">{}</a>',
        supplier.status,
        reverse("supplier", args=[supplier.pk]),
        supplier.status_reason,
        label,
    )
