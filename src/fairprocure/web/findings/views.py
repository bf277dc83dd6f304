"""Findings pages: the office's findings, raising one, a finding with its corrective action plan,
evidence, verification, closure and remedy; escalation steps from the contract page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.duediligence import checklists, rules
from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.contracts.models import Contract
from fairprocure.web.findings import services
from fairprocure.web.findings.models import Escalation, Finding, FindingEvidence, Remedy
from fairprocure.web.forms_util import checked, date_from, optional_date


def _language(request) -> str:
    return "ru" if (request.LANGUAGE_CODE or "").startswith("ru") else "en"


def _indicator_choices(request):
    language = _language(request)
    return [(k, i.label(language)) for k, i in checklists.indicators().items()]


@requires(Action.VIEW)
def findings(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    found = Finding.objects.filter(office__in=[office] if office else visible_offices(request.user))
    status, severity = request.GET.get("status", ""), request.GET.get("severity", "")
    if status == "open":
        found = found.exclude(status=rules.CLOSED)
    elif status:
        found = found.filter(status=status)
    if severity:
        found = found.filter(severity=severity)
    return render(
        request,
        "findings/list.html",
        {
            "findings": found.select_related("contract", "office"),
            "office": office,
            "offices": visible_offices(request.user),
            "statuses": Finding.Status.choices,
            "severities": Finding.Severity.choices,
            "params": {"status": status, "severity": severity},
            "today": timezone.localdate(),
        },
    )


@requires(Action.ACT)
def new(request, contract_pk: int):
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=contract_pk)
    authorize(request.user, Action.ACT, contract.office)
    source = request.POST.get("source") or request.GET.get("source") or "check"
    check = interview = None
    from fairprocure.web.monitoring.models import Check, Interview

    if check_pk := (request.POST.get("check") or request.GET.get("check")):
        check = get_object_or_404(Check, pk=check_pk, plan__contract=contract)
        source = "check"
    if interview_pk := (request.POST.get("interview") or request.GET.get("interview")):
        authorize(request.user, Action.CONFIDENTIAL, contract.office)
        interview = get_object_or_404(Interview, pk=interview_pk, contract=contract)
        source = "interview"
    if source in ("interview", "grievance") and interview is None:
        raise PermissionDenied("raise findings from interviews and grievances on their own pages")
    suggested = []
    if check is not None:
        from fairprocure.web.monitoring.services import indicators_of

        suggested = indicators_of(check)
    elif interview is not None:
        suggested = interview.indicators
    if request.method == "POST":
        try:
            finding = services.raise_finding(
                contract,
                request.user,
                title=request.POST.get("title", ""),
                severity=request.POST.get("severity", ""),
                source=source,
                description=request.POST.get("description", ""),
                indicators=[k for k in checklists.indicators() if checked(request.POST, f"indicator-{k}")],
                supplier=request.POST.get("supplier", ""),
                check=check,
                interview=interview,
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Finding raised."))
            return redirect("finding", pk=finding.pk)
    return render(
        request,
        "findings/new.html",
        {
            "contract": contract,
            "check": check,
            "interview": interview,
            "source": source,
            "sources": [
                (v, label) for v, label in Finding.Source.choices if v not in ("interview", "grievance")
            ],
            "severities": Finding.Severity.choices,
            "indicators": _indicator_choices(request),
            "suggested": suggested,
            "supplier": services.supplier_of(contract),
        },
    )


@requires(Action.VIEW)
def finding(request, pk: int):
    item = get_object_or_404(Finding.objects.select_related("contract", "office", "raised_by"), pk=pk)
    office = item.office
    authorize(request.user, Action.VIEW, office)
    if request.method == "POST":
        post = request.POST
        try:
            if "save_plan" in post or "agree_plan" in post:
                authorize(request.user, Action.ACT, office)
                services.save_plan(
                    item,
                    request.user,
                    agree="agree_plan" in post,
                    **{k: post.get(k, "") for k in services.PLAN_FIELDS},
                )
                messages.success(request, _("Corrective action plan saved."))
            elif "submit_evidence" in post:
                authorize(request.user, Action.ACT, office)
                services.submit_evidence(
                    item, request.user, note=post.get("evidence_note", ""), title=post.get("title", ""),
                    upload=request.FILES.get("file"),
                )  # fmt: skip
                messages.success(request, _("Evidence submitted."))
            elif "verify" in post:
                authorize(request.user, Action.ASSESS, office)
                services.verify(
                    item,
                    request.user,
                    accepted=post.get("verify") == "accept",
                    note=post.get("verification_note", ""),
                )
                messages.success(request, _("Verification recorded."))
            elif "address" in post:
                authorize(request.user, Action.ACT, office)
                services.address_to_supplier(item, request.user)
                messages.success(request, _("Finding addressed to the supplier."))
            elif "close" in post:
                authorize(request.user, Action.ASSESS, office)
                services.close(item, request.user)
                messages.success(request, _("Finding closed."))
            elif "remedy" in post:
                authorize(request.user, Action.ACT, office)
                services.record_remedy(
                    item,
                    request.user,
                    kind=post.get("kind", ""),
                    workers=int(post.get("workers") or 0),
                    paid_on=date_from(post.get("paid_on"), "paid on", timezone.localdate()),
                    amount=post.get("amount", ""),
                    currency=post.get("currency", ""),
                    note=post.get("note", ""),
                )
                messages.success(request, _("Remedy recorded."))
            return redirect("finding", pk=item.pk)
        except (ValueError, rules.TransitionError) as exc:
            messages.error(request, str(exc))
        item.refresh_from_db()
    language = _language(request)
    known = checklists.indicators()
    can_confidential = allowed(request.user, Action.CONFIDENTIAL, office)
    return render(
        request,
        "findings/detail.html",
        {
            "finding": item,
            "contract": item.contract,
            "indicators": [known[k].label(language) for k in item.indicators if k in known],
            "evidence": item.evidence.select_related("uploaded_by"),
            "remedies": item.remedies.select_related("recorded_by"),
            "remedy_kinds": Remedy.Kind.choices,
            "can_act": allowed(request.user, Action.ACT, office),
            "can_verify": allowed(request.user, Action.ASSESS, office),
            "can_confidential": can_confidential,
            "grievances": item.grievances.all() if can_confidential else None,
            "overdue": item.status != rules.CLOSED and item.deadline < timezone.localdate(),
        },
    )


@requires(Action.VIEW)
def evidence(request, pk: int):
    item = get_object_or_404(FindingEvidence.objects.select_related("finding__office"), pk=pk)
    authorize(request.user, Action.VIEW, item.finding.office)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@require_POST
@requires(Action.SANCTION)
def escalate(request, contract_pk: int):
    contract = get_object_or_404(Contract.objects.select_related("office"), pk=contract_pk)
    authorize(request.user, Action.SANCTION, contract.office)
    post = request.POST
    finding = None
    if post.get("finding"):
        finding = get_object_or_404(Finding, pk=post["finding"], contract=contract)
    try:
        step = services.escalate(
            contract,
            request.user,
            step=post.get("step", ""),
            reason=post.get("reason", ""),
            supplier=post.get("supplier", ""),
            reform_required=post.get("reform_required", ""),
            review_date=optional_date(post.get("review_date"), "review date"),
            finding=finding,
        )
        messages.success(request, _("Escalation recorded: %(step)s.") % {"step": step.get_step_display()})
    except (ValueError, rules.TransitionError) as exc:
        messages.error(request, str(exc))
    return redirect("contract", pk=contract.pk)


def panel_context(contract, user) -> dict:
    supplier = services.supplier_of(contract)
    return {
        "findings": contract.findings.all(),
        "escalations": Escalation.objects.filter(contract=contract).select_related("by"),
        "current_step": services.current_step(contract, supplier) if supplier else None,
        "supplier": supplier,
        "steps": Escalation.Step.choices,
        "can_act": allowed(user, Action.ACT, contract.office),
        "can_escalate": allowed(user, Action.SANCTION, contract.office),
    }
