"""``{% supplier_findings supplier %}``: the findings on a registry supplier in the offices the reader may
see, for the supplier's page (the suppliers app's "Findings" section)."""

from __future__ import annotations

from django import template

from fairprocure.web.accounts.permissions import visible_offices
from fairprocure.web.findings.models import Finding

register = template.Library()


@register.inclusion_tag("findings/_supplier_findings.html", takes_context=True)
def supplier_findings(context, supplier) -> dict:
    request = context.get("request")
    offices = visible_offices(request.user) if request is not None else []
    names = set(supplier.spellings()) | {supplier.name}
    found = Finding.objects.filter(supplier__in=names, office__in=offices).select_related(
        "contract", "office"
    )
    return {"findings": found.order_by("-raised_on", "-pk")[:200]}
