"""Buyer pages: invite a supplier, the answers to review, a response's review, templates and versions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import Action, allowed, authorize, requires, visible_offices
from fairprocure.web.questionnaires import scoring, services
from fairprocure.web.questionnaires.forms import InviteForm, ReviewForm
from fairprocure.web.questionnaires.models import Invitation, Response, Template
from fairprocure.web.suppliers.models import Supplier


@requires(Action.VIEW)
def questionnaires(request):
    offices = visible_offices(request.user)
    invitations = Invitation.objects.filter(office__in=offices).select_related(
        "supplier", "office", "version", "response"
    )
    services.ensure_default_template()
    return render(
        request,
        "questionnaires/list.html",
        {
            "to_review": [
                i for i in invitations if i.response and i.response.status == Response.Status.SUBMITTED
            ],
            "invitations": invitations[:200],
            "templates": Template.objects.prefetch_related("versions"),
        },
    )


@requires(Action.INVITE)
def invite(request, supplier_pk: int):
    supplier = get_object_or_404(Supplier, pk=supplier_pk).current()
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authorize(request.user, Action.INVITE, data["office"])
        try:
            _invitation, _token, code = services.invite(
                supplier,
                data["office"],
                data["version"],
                data["variant"],
                data["email"],
                request.user,
                due=data["due"],
                language=data["language"],
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. Its code is %(code)s.")
                % {"email": data["email"], "code": code},
            )
    elif request.method == "POST":
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("supplier", pk=supplier.pk)


@requires(Action.INVITE)
def remind(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    authorize(request.user, Action.INVITE, invitation.office)
    if request.method == "POST":
        code = services.remind(invitation, request.user)
        messages.success(request, _("Reminder sent with a new code: %(code)s.") % {"code": code})
    return redirect("supplier", pk=invitation.supplier.current().pk)


def _answers_view(response: Response, language: str) -> list[dict]:
    spec = response.version.spec
    rows = []
    for q in scoring.questions_for(spec, response.variant):
        answer = response.answers.get(q["id"])
        shown = answer
        if q["type"] == "choice":
            shown = next((o.get(language) or o["en"] for o in q["options"] if o["value"] == answer), answer)
        rows.append({"q": q, "text": q["text"].get(language) or q["text"]["en"], "answer": shown})
    return rows


@requires(Action.VIEW)
def response(request, pk: int):
    item = get_object_or_404(Response.objects.select_related("supplier", "version"), pk=pk)
    offices = visible_offices(request.user)
    invitations = item.invitations.filter(office__in=offices).select_related("office")
    if not invitations.exists():  # readers see the answers an office they may see asked for
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("no office of yours asked for these answers")
    review_office = next(
        (i.office for i in invitations if allowed(request.user, Action.INVITE, i.office)), None
    )
    form = ReviewForm(request.POST or None) if review_office else None
    if request.method == "POST":
        if review_office is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("your role may not review these answers")
        if form.is_valid():
            try:
                services.review(
                    item,
                    form.cleaned_data["decision"],
                    form.cleaned_data["note"],
                    request.user,
                    review_office,
                )
                messages.success(request, _("Review recorded."))
            except ValueError as exc:
                messages.error(request, str(exc))
            return redirect("questionnaire_response", pk=item.pk)
    language = (get_language() or "en")[:2]
    result = scoring.score(item.version.spec, item.variant, item.answers)
    return render(
        request,
        "questionnaires/response.html",
        {
            "response": item,
            "rows": _answers_view(item, language),
            "result": result,
            "language": language,
            "form": form if item.status == Response.Status.SUBMITTED else None,
            "evidence": item.evidence.all(),
            "invitations": invitations,
        },
    )


@requires(Action.LIBRARY)
def new_version(request, slug: str):
    template = get_object_or_404(Template, slug=slug)
    latest = template.latest()
    text = request.POST.get("spec") or json.dumps(latest.spec, ensure_ascii=False, indent=2)
    if request.method == "POST":
        try:
            version = services.publish_version(slug, json.loads(text), request.user)
            messages.success(request, _("Version %(n)s published.") % {"n": version.version})
            return redirect("questionnaires")
        except (ValueError, json.JSONDecodeError) as exc:
            messages.error(request, str(exc))
    return render(
        request, "questionnaires/version.html", {"template": template, "latest": latest, "text": text}
    )
