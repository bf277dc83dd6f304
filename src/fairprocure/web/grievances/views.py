"""Grievance pages. Public (no account, no JavaScript, any phone): report, follow a case with its code
and secret, answer questions. Focal points only: the cases, triage, replies, findings, referrals.

The public views never log what is posted (``sensitive_post_parameters`` hides it from Django's error
reports too), keep no IP address (the rate limiter holds a keyed hash in memory for an hour at most)
and send no cache headers that would let a shared phone's browser keep the case on screen.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from fairprocure.duediligence import checklists
from fairprocure.duediligence.policy import load_policy
from fairprocure.web.accounts.permissions import Action, allowed, authorize, requires, visible_offices
from fairprocure.web.contracts.models import Contract
from fairprocure.web.findings.models import Finding
from fairprocure.web.forms_util import checked, date_from
from fairprocure.web.grievances import ratelimit, services
from fairprocure.web.grievances.models import Case, Referral, ReferralContact
from fairprocure.web.offices.models import Office

PUBLIC_LANGUAGES = ("en", "ru")
EMERGENCY_KINDS = ("police", "hotline", "ngo", "nrm")


def _public_language(request) -> str:
    asked = request.POST.get("lang") or request.GET.get("lang") or ""
    if asked in PUBLIC_LANGUAGES:
        return asked
    current = (request.LANGUAGE_CODE or "en")[:2]
    return current if current in PUBLIC_LANGUAGES else "en"


def _render_public(request, template: str, context: dict, status: int = 200):
    language = _public_language(request)
    with translation.override(language):
        response = render(request, template, {"lang": language} | context, status=status)
    response["Content-Language"] = language
    return response


def _limited(request, limiter) -> bool:
    g = load_policy().grievance
    per_client, per_site = g.intake_per_client, g.intake_per_site
    if limiter is ratelimit.FOLLOW:
        per_client, per_site = per_client * 4, per_site * 4
    return not limiter.allow(
        request.META.get("REMOTE_ADDR", ""),
        per_client=per_client,
        per_site=per_site,
        window_seconds=g.intake_window_minutes * 60,
    )


def _emergency_contacts(office):
    if office is None:
        return []
    return list(ReferralContact.objects.filter(country=office.country, kind__in=EMERGENCY_KINDS))


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def report(request):
    """The public intake: what happened, where, optionally a contact; returns a code and a secret."""
    offices = Office.objects.order_by("name")
    errors: list[str] = []
    if request.method == "POST":
        if _limited(request, ratelimit.INTAKE):
            return _render_public(request, "grievances/public_limited.html", {}, status=429)
        office = offices.filter(code=request.POST.get("office", "")).first()
        try:
            case, secret = services.submit(
                language=_public_language(request),
                topic=request.POST.get("topic", ""),
                account=request.POST.get("account", ""),
                office=office,
                workplace=request.POST.get("workplace", ""),
                contact=request.POST.get("contact", "") if request.POST.get("anonymous") != "yes" else "",
                danger=checked(request.POST, "danger"),
            )
        except ValueError as exc:
            errors.append(str(exc))
        else:
            return _render_public(
                request,
                "grievances/public_received.html",
                {
                    "code": case.code,
                    "secret": secret,
                    "danger": case.danger_reported,
                    "contacts": _emergency_contacts(office),
                    "days": load_policy().grievance.acknowledge_days,
                },
            )
    return _render_public(
        request,
        "grievances/public_report.html",
        {"offices": offices, "topics": Case.Topic.choices, "errors": errors, "post": request.POST},
    )


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def follow(request):
    """Open one's own case with its code and secret: its status, the messages, a reply form."""
    if request.method != "POST":
        return _render_public(request, "grievances/public_follow.html", {"failed": False})
    if _limited(request, ratelimit.FOLLOW):
        return _render_public(request, "grievances/public_limited.html", {}, status=429)
    code, secret = request.POST.get("code", ""), request.POST.get("secret", "")
    case = services.open_case(code, secret)
    if case is None:
        return _render_public(request, "grievances/public_follow.html", {"failed": True}, status=403)
    sent = False
    if (request.POST.get("message") or "").strip():
        try:
            services.reporter_writes(case, request.POST["message"])
            sent = True
        except ValueError:
            pass
    context = {
        "case": case,
        "code": case.code,
        "secret": services.normalise(secret),
        "thread": services.thread(case),
        "sent": sent,
    }
    response = _render_public(request, "grievances/public_case.html", context)
    services.mark_read(case)
    return response


# --- focal points ------------------------------------------------------------------------------------


def _cases_for(user):
    offices = visible_offices(user, Action.CONFIDENTIAL)
    from django.db.models import Q

    return Case.objects.filter(Q(office__in=offices) | Q(office__isnull=True))


@requires(Action.CONFIDENTIAL)
def cases(request):
    found = _cases_for(request.user).select_related("office")
    now = timezone.now()
    rows = [(c, services.timer(c, now)) for c in found]
    return render(request, "grievances/cases.html", {"rows": rows})


def _case_for(request, pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("office", "contract", "finding"), pk=pk)
    authorize(request.user, Action.CONFIDENTIAL, case.office)
    return case


@never_cache
@requires(Action.CONFIDENTIAL)
def case(request, pk: int):
    item = _case_for(request, pk)
    if request.method == "POST":
        post = request.POST
        try:
            if "acknowledge" in post:
                services.acknowledge(item, request.user, post.get("message", ""))
                messages.success(request, _("Acknowledged: the reporter reads it with their code."))
            elif "reply" in post:
                services.reply(item, request.user, post.get("message", ""))
                messages.success(request, _("Message sent: the reporter reads it with their code."))
            elif "triage" in post:
                office = Office.objects.filter(code=post.get("office", "")).first()
                if office is not None:
                    authorize(request.user, Action.CONFIDENTIAL, office)
                contract = None
                if post.get("contract", "").strip():
                    contract = get_object_or_404(Contract, pk=post["contract"])
                    authorize(request.user, Action.CONFIDENTIAL, contract.office)
                services.triage(
                    item,
                    request.user,
                    immediate_danger=checked(post, "immediate_danger"),
                    office=office,
                    contract=contract,
                    note=post.get("note", ""),
                    status=post.get("status", ""),
                )
                messages.success(request, _("Triage saved."))
            elif "to_finding" in post:
                finding = services.to_finding(
                    item,
                    request.user,
                    title=post.get("title", ""),
                    severity=post.get("severity", ""),
                    description=post.get("description", ""),
                    indicators=[k for k in checklists.indicators() if checked(post, f"indicator-{k}")],
                )
                messages.success(request, _("Finding raised."))
                return redirect("finding", pk=finding.pk)
            elif "refer" in post:
                contact = None
                if post.get("recipient", "").strip():
                    contact = get_object_or_404(ReferralContact, pk=post["recipient"])
                services.refer(
                    request.user,
                    case=item,
                    recipient=contact,
                    recipient_kind=post.get("recipient_kind", ""),
                    recipient_name=post.get("recipient_name", ""),
                    consent=checked(post, "consent"),
                    consent_note=post.get("consent_note", ""),
                    referred_on=date_from(post.get("referred_on"), "referred on", timezone.localdate()),
                )
                messages.success(request, _("Referral logged."))
            return redirect("grievance", pk=item.pk)
        except ValueError as exc:
            messages.error(request, str(exc))
    language = "ru" if (request.LANGUAGE_CODE or "").startswith("ru") else "en"
    country = item.office.country if item.office else None
    contracts = (
        Contract.objects.filter(office=item.office).order_by("-top_score")[:200] if item.office else []
    )
    return render(
        request,
        "grievances/case.html",
        {
            "case": item,
            "clear": services.clear(item),
            "thread": services.thread(item),
            "timer": services.timer(item),
            "offices": visible_offices(request.user, Action.CONFIDENTIAL),
            "contracts": contracts,
            "statuses": Case.Status.choices,
            "severities": Finding.Severity.choices,
            "indicators": [(k, i.label(language)) for k, i in checklists.indicators().items()],
            "contacts": services.directory(country) if country else services.directory(),
            "kinds": ReferralContact.Kind.choices,
            "referrals": item.referrals.select_related("referred_by"),
            "danger": item.immediate_danger or item.danger_reported,
            "emergency": _emergency_contacts(item.office),
            "today": timezone.localdate(),
        },
    )


@requires(Action.VIEW)
def directory(request):
    """The organisation's referral contacts per country; focal points keep it."""
    can_edit = allowed(request.user, Action.CONFIDENTIAL)
    if request.method == "POST":
        authorize(request.user, Action.CONFIDENTIAL)
        try:
            services.save_contact(request.user, **{k: request.POST.get(k, "") for k in (
                "country", "kind", "name", "phone", "email", "website", "languages", "notes")})  # fmt: skip
            messages.success(request, _("Contact saved."))
            return redirect("referral_directory")
        except ValueError as exc:
            messages.error(request, str(exc))
    country = (request.GET.get("country") or "").upper()
    return render(
        request,
        "grievances/directory.html",
        {
            "contacts": services.directory(country or None),
            "kinds": ReferralContact.Kind.choices,
            "can_edit": can_edit,
            "country": country,
        },
    )


@require_POST
@requires(Action.CONFIDENTIAL)
def refer_interview(request, pk: int):
    """Log the referral of an interviewed worker (with their consent), from the interview's page."""
    from fairprocure.web.monitoring.models import Interview

    interview = get_object_or_404(Interview.objects.select_related("contract__office"), pk=pk)
    authorize(request.user, Action.CONFIDENTIAL, interview.contract.office)
    post = request.POST
    contact = (
        get_object_or_404(ReferralContact, pk=post["recipient"])
        if post.get("recipient", "").strip()
        else None
    )
    try:
        services.refer(
            request.user,
            interview=interview,
            recipient=contact,
            recipient_kind=post.get("recipient_kind", ""),
            recipient_name=post.get("recipient_name", ""),
            consent=checked(post, "consent"),
            consent_note=post.get("consent_note", ""),
            referred_on=date_from(post.get("referred_on"), "referred on", timezone.localdate()),
        )
        messages.success(request, _("Referral logged."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("monitoring_interview", pk=interview.pk)


@requires(Action.CONFIDENTIAL)
def referrals(request):
    from django.db.models import Q

    offices = visible_offices(request.user, Action.CONFIDENTIAL)
    found = Referral.objects.filter(Q(office__in=offices) | Q(office__isnull=True)).select_related(
        "referred_by", "case", "interview"
    )
    return render(request, "grievances/referrals.html", {"referrals": found})
