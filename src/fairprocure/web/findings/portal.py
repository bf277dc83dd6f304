"""The supplier's side of a finding addressed to it, in the supplier portal: evidence that the agreed
corrective action was taken (a note and a PDF, PNG or JPEG). A focal point then verifies it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.duediligence import rules
from fairprocure.web.accounts.permissions import Action, portal_supplier, requires
from fairprocure.web.findings import services
from fairprocure.web.findings.models import Finding


def own_finding(user, pk: int) -> Finding:
    """A finding addressed to the supplier ``user`` acts for; ``PermissionDenied`` for any other."""
    supplier = portal_supplier(user)
    finding = get_object_or_404(Finding.objects.select_related("contract"), pk=pk)
    if finding.addressed_on is None or finding.supplier not in set(supplier.spellings()) | {supplier.name}:
        raise PermissionDenied("this finding is not addressed to you")
    return finding


@require_POST
@requires(Action.PORTAL)
def evidence(request, pk: int):
    finding = own_finding(request.user, pk)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            services.check_supplier_upload(upload)
        services.submit_evidence(
            finding,
            request.user,
            note=request.POST.get("evidence_note", ""),
            title=request.POST.get("title", ""),
            upload=upload,
        )
    except (ValueError, rules.TransitionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Evidence sent: the organisation will verify it."))
    return redirect("portal")
