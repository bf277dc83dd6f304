"""The audit log page (administrators and auditors)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from fairprocure.web.accounts.permissions import Action, requires
from fairprocure.web.audit.models import AuditEvent


@requires(Action.AUDIT)
def audit(request):
    events = AuditEvent.objects.select_related("office")
    if action := request.GET.get("action"):
        events = events.filter(action__startswith=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit.html", {"page": page})
