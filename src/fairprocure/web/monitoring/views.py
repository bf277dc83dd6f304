"""Monitoring pages: the office's plans (due and overdue), a plan with its checks, cost checks and
interviews, a check with its evidence, an interview (focal points only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.duediligence import checklists
from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.contracts.models import Contract
from fairprocure.web.forms_util import checked, date_from
from fairprocure.web.grievances.models import ReferralContact
from fairprocure.web.monitoring import services
from fairprocure.web.monitoring.models import Check, Evidence, Interview, Plan


def _language(request) -> str:
    return "ru" if (request.LANGUAGE_CODE or "").startswith("ru") else "en"


@requires(Action.VIEW)
def plans(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    found = Plan.objects.filter(
        contract__office__in=[office] if office else visible_offices(request.user)
    ).select_related("contract", "contract__office")
    today = timezone.localdate()
    rows = [(p, services.state(p, today)) for p in found]
    return render(
        request,
        "monitoring/plans.html",
        {
            "rows": rows,
            "office": office,
            "offices": visible_offices(request.user),
            "overdue": sum(1 for _p, s in rows if s == "overdue"),
            "due_soon": sum(1 for _p, s in rows if s == "due_soon"),
        },
    )


@require_POST
@requires(Action.ACT)
def start_plan(request, contract_pk: int):
    contract = get_object_or_404(Contract, pk=contract_pk)
    authorize(request.user, Action.ACT, contract.office)
    try:
        plan = services.create_plan(
            contract,
            request.user,
            service=request.POST.get("service", ""),
            started_on=date_from(request.POST.get("started_on"), "monitoring from", timezone.localdate()),
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("contract", pk=contract.pk)
    messages.success(request, _("Monitoring plan started."))
    return redirect("monitoring_plan", pk=plan.pk)


def _roles(post) -> list[dict]:
    roles = []
    for i in range(3):
        if post.get(f"role{i}-headcount", "").strip():
            roles.append(
                {
                    "name": post.get(f"role{i}-name", "").strip() or "worker",
                    "headcount": post.get(f"role{i}-headcount", "").strip(),
                    "hours_per_month": post.get(f"role{i}-hours", "").strip(),
                    "overtime_hours_per_month": post.get(f"role{i}-overtime", "").strip() or "0",
                    "overtime_premium": post.get(f"role{i}-premium", "").strip() or "0",
                    "hourly_wage": post.get(f"role{i}-wage", "").strip() or "0",
                }
            )
    return roles


def _percent(value: str, what: str):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(value.strip().replace(",", ".")) / 100
    except (InvalidOperation, AttributeError):
        raise ValueError(f"{what}: {value!r} is not a percentage") from None


@requires(Action.VIEW)
def plan(request, pk: int):
    item = get_object_or_404(Plan.objects.select_related("contract", "contract__office"), pk=pk)
    office = item.contract.office
    authorize(request.user, Action.VIEW, office)
    checklist = checklists.checklists()[item.service]
    if request.method == "POST":
        authorize(request.user, Action.ACT, office)
        try:
            if "record_check" in request.POST:
                check = services.record_check(
                    item,
                    request.user,
                    done_on=date_from(request.POST.get("done_on"), "checked on", timezone.localdate()),
                    method=request.POST.get("method", ""),
                    results={
                        i.key: request.POST.get(f"item-{i.key}", "not_checked") for i in checklist.items
                    },
                    notes={i.key: request.POST.get(f"note-{i.key}", "") for i in checklist.items},
                    summary=request.POST.get("summary", ""),
                    workers_covered=int(request.POST["workers_covered"])
                    if request.POST.get("workers_covered", "").strip().isdigit()
                    else None,
                )
                messages.success(request, _("Check recorded."))
                return redirect("monitoring_check", pk=check.pk)
            if "check_cost" in request.POST:
                services.check_cost(
                    item.contract,
                    request.user,
                    price=request.POST.get("price", ""),
                    roles=_roles(request.POST),
                    months=request.POST.get("months", ""),
                    contribution_rate=_percent(
                        request.POST.get("contributions", ""), "employer contributions"
                    ),
                    other_costs={
                        k: request.POST.get(k, "").strip()
                        for k in ("equipment", "insurance", "training", "other")
                        if request.POST.get(k, "").strip()
                    },
                )
                messages.success(request, _("Cost-structure check recorded."))
                return redirect("monitoring_plan", pk=item.pk)
        except (ValueError, KeyError) as exc:
            messages.error(request, str(exc))
    can_confidential = allowed(request.user, Action.CONFIDENTIAL, office)
    language = _language(request)
    return render(
        request,
        "monitoring/plan.html",
        {
            "plan": item,
            "contract": item.contract,
            "state": services.state(item),
            "checklist": checklist,
            "items": [(i, i.label(language), i.evidence(language)) for i in checklist.items],
            "checklist_label": checklist.label(language),
            "checks": item.checks.select_related("done_by"),
            "cost_checks": item.contract.cost_checks.select_related("checked_by"),
            "methods": Check.Method.choices,
            "outcomes": checklists.OUTCOMES,
            "can_act": allowed(request.user, Action.ACT, office),
            "can_confidential": can_confidential,
            "interviews": item.contract.interviews.all() if can_confidential else None,
            "indicators": [
                (k, i.label(language), i.question(language)) for k, i in checklists.indicators().items()
            ],
            "places": Interview.Place.choices,
            "samplings": Interview.Sampling.choices,
            "today": timezone.localdate(),
        },
    )


@requires(Action.VIEW)
def check(request, pk: int):
    item = get_object_or_404(Check.objects.select_related("plan__contract__office", "done_by"), pk=pk)
    office = item.plan.contract.office
    authorize(request.user, Action.VIEW, office)
    if request.method == "POST":
        authorize(request.user, Action.ACT, office)
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise ValueError(_("Choose a file to attach."))
            services.attach_evidence(item, request.user, request.POST.get("title", ""), upload)
            messages.success(request, _("Evidence attached."))
            return redirect("monitoring_check", pk=item.pk)
        except ValueError as exc:
            messages.error(request, str(exc))
    language = _language(request)
    checklist = checklists.checklists()[item.plan.service]
    rows = [
        (i.key, i.label(language), item.results.get(i.key, "not_checked"), item.notes.get(i.key, ""))
        for i in checklist.items
    ]
    touched = services.indicators_of(item)
    known = checklists.indicators()
    return render(
        request,
        "monitoring/check.html",
        {
            "check": item,
            "plan": item.plan,
            "contract": item.plan.contract,
            "rows": rows,
            "evidence": item.evidence.select_related("uploaded_by"),
            "touched": [(k, known[k].label(language)) for k in touched],
            "findings": item.findings.all(),
            "can_act": allowed(request.user, Action.ACT, office),
        },
    )


@requires(Action.VIEW)
def evidence(request, pk: int):
    item = get_object_or_404(Evidence.objects.select_related("check_record__plan__contract__office"), pk=pk)
    authorize(request.user, Action.VIEW, item.check_record.plan.contract.office)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@require_POST
@requires(Action.CONFIDENTIAL)
def new_interview(request, contract_pk: int):
    contract = get_object_or_404(Contract, pk=contract_pk)
    authorize(request.user, Action.CONFIDENTIAL, contract.office)
    post = request.POST
    try:
        interview = services.record_interview(
            contract,
            request.user,
            held_on=date_from(post.get("held_on"), "held on", timezone.localdate()),
            consent=checked(post, "consent"),
            language=post.get("language", ""),
            interpreter=checked(post, "interpreter"),
            place=post.get("place", ""),
            no_manager_present=checked(post, "no_manager_present"),
            sampling=post.get("sampling", ""),
            answers={k: post.get(f"answer-{k}", "") for k in checklists.indicators()},
            notes=post.get("notes", ""),
            indicators=[k for k in checklists.indicators() if checked(post, f"touched-{k}")],
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        plan = getattr(contract, "monitoring_plan", None)
        return redirect("monitoring_plan", pk=plan.pk) if plan else redirect("contract", pk=contract.pk)
    messages.success(request, _("Interview recorded under pseudonym %(p)s.") % {"p": interview.pseudonym})
    return redirect("monitoring_interview", pk=interview.pk)


@requires(Action.CONFIDENTIAL)
def interview(request, pk: int):
    item = get_object_or_404(Interview.objects.select_related("contract__office", "interviewed_by"), pk=pk)
    authorize(request.user, Action.CONFIDENTIAL, item.contract.office)
    language = _language(request)
    known = checklists.indicators()
    answers = services.answers_of(item)
    return render(
        request,
        "monitoring/interview.html",
        {
            "interview": item,
            "contract": item.contract,
            "answers": [
                (known[k].label(language), known[k].question(language), answers[k])
                for k in known
                if k in answers
            ],
            "notes": services.notes_of(item),
            "touched": [known[k].label(language) for k in item.indicators],
            "findings": item.findings.all(),
            "referrals": item.referrals.select_related("referred_by"),
            "contacts": ReferralContact.objects.filter(country=item.contract.office.country),
            "kinds": ReferralContact.Kind.choices,
            "today": timezone.localdate(),
        },
    )
