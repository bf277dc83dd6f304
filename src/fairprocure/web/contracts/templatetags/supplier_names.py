"""``{{ names|supplier_links }}``: supplier names, each linked to its page in the supplier registry when
the registry files it (see :mod:`fairprocure.web.contracts.suppliers`)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from fairprocure.web.contracts.suppliers import in_registry

register = template.Library()


@register.filter
def supplier_links(names) -> str:
    found = in_registry(names or [])
    if not found:
        return "—"
    return format_html_join(
        "; ",
        "{}",
        (
            (format_html('<a href="{}">{}</a>', reverse("supplier", args=[s.pk]), name) if s else name,)
            for name, s in found
        ),
    )
