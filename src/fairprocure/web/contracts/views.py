"""Contract pages: the office's contracts, and a contract with its lines, assessment and status."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.contracts.forms import AssessmentForm, StatusForm
from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.panels import panels_for
from fairprocure.web.contracts.services import assess, change_status
from fairprocure.web.register.models import Decision


def filter_contracts(contracts, *, status: str = "", risk: str = "", q: str = ""):
    """The list's filters, shared with the API: status, ``risk`` (high / assessed / unassessed), search."""
    if status:
        contracts = contracts.filter(status=status)
    if risk == "high":
        contracts = contracts.filter(
            Q(high_risk=True) | Q(high_risk__isnull=True, top_level__in=["high", "critical"])
        )
    elif risk == "confirmed":
        contracts = contracts.filter(high_risk=True)
    elif risk == "unassessed":
        contracts = contracts.filter(high_risk__isnull=True)
    if q:
        contracts = contracts.filter(
            Q(contract_id__icontains=q) | Q(supplier_key__icontains=q) | Q(key__icontains=q)
        )
    return contracts


@requires(Action.VIEW)
def contracts(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    params = {k: request.GET.get(k, "").strip() for k in ("status", "risk", "q")}
    found = Contract.objects.filter(office__in=[office] if office else visible_offices(request.user))
    found = filter_contracts(found, **params).select_related("office")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/list.html",
        {
            "page": page,
            "office": office,
            "params": params,
            "offices": visible_offices(request.user),
            "statuses": Contract.Status.choices,
            "query": request.GET.urlencode(),
        },
    )


@requires(Action.VIEW)
def contract(request, pk: int):
    item = get_object_or_404(Contract.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    can_assess = allowed(request.user, Action.ASSESS, item.office)
    can_act = allowed(request.user, Action.ACT, item.office)
    assessment_form = AssessmentForm(prefix="a") if can_assess else None
    status_form = StatusForm(prefix="s", contract=item) if can_act else None
    if request.method == "POST":
        if "assess" in request.POST:
            authorize(request.user, Action.ASSESS, item.office)
            assessment_form = AssessmentForm(request.POST, prefix="a")
            if assessment_form.is_valid():
                data = assessment_form.cleaned_data
                assess(item, data["high_risk"], data["justification"], data["measures"], request.user)
                messages.success(request, _("Assessment recorded."))
                return redirect("contract", pk=item.pk)
        else:
            authorize(request.user, Action.ACT, item.office)
            status_form = StatusForm(request.POST, prefix="s", contract=item)
            if status_form.is_valid():
                data = status_form.cleaned_data
                change_status(item, data["status"], data["note"], request.user)
                messages.success(request, _("Status changed."))
                return redirect("contract", pk=item.pk)
    lines = item.lines()
    top = lines.order_by("-risk_score", "pk").first()
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": item,
            "lines": lines.order_by("-risk_score", "pk")[:200],
            "line_total": lines.count(),
            "top": top,
            "assessments": item.assessments.select_related("assessed_by"),
            "status_changes": item.status_changes.select_related("changed_by"),
            "decisions": Decision.objects.filter(line__in=lines).select_related("line", "decided_by")[:100],
            "assessment_form": assessment_form,
            "status_form": status_form if status_form and status_form.fields["status"].choices else None,
            "panels": panels_for(item, request.user),
        },
    )
