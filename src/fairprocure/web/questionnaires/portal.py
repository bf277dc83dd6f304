"""The supplier portal: accept an invitation (link or code), answer, upload evidence, acknowledge
recommendations, submit; see the findings addressed to the supplier. Supplier accounts see nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import Action, authorize_portal, portal_supplier, requires
from fairprocure.web.questionnaires import scoring, services
from fairprocure.web.questionnaires.forms import AcceptForm, CodeForm, EvidenceForm
from fairprocure.web.questionnaires.models import Evidence, Invitation, Response

# Later modules (contract monitoring, issue 14) register a callable here: supplier → findings addressed to it.
FINDINGS_FOR_SUPPLIER: list = []


def findings_for(supplier) -> list:
    return [finding for source in FINDINGS_FOR_SUPPLIER for finding in source(supplier)]


@requires(Action.PORTAL)
def home(request):
    supplier = portal_supplier(request.user)
    return render(
        request,
        "questionnaires/portal_home.html",
        {
            "supplier": supplier,
            "responses": Response.objects.filter(supplier=supplier).select_related("version"),
            "invitations": Invitation.objects.filter(supplier=supplier).select_related("office", "version"),
            "evidence": Evidence.objects.filter(supplier=supplier),
            "findings": findings_for(supplier),
            "code_form": CodeForm(),
            "evidence_form": EvidenceForm(),
            "today": timezone.now().date(),
        },
    )


def _accept_page(request, invitation: Invitation | None, code: str = ""):
    if invitation is None:
        raise PermissionDenied("no such invitation: check the link or the code")
    if invitation.expired:
        return render(
            request,
            "questionnaires/portal_accept.html",
            {"invitation": invitation, "expired": True},
            status=410,
        )
    signed_in = request.user.is_authenticated
    posted = request.method == "POST" and "accept" in request.POST
    form = (
        None
        if signed_in
        else AcceptForm(request.POST if posted else None, initial={"email": invitation.email})
    )
    if posted:
        try:
            if signed_in:
                portal_supplier(request.user)  # only supplier accounts accept invitations
                _inv, user = services.accept(invitation, user=request.user)
            elif form.is_valid():
                _inv, user = services.accept(
                    invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    email=form.cleaned_data["email"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                raise ValueError(_("Check the form."))
        except ValueError as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            from django.conf import settings

            answer_page = redirect("portal_response", pk=invitation.response_id)
            answer_page.set_cookie(settings.LANGUAGE_COOKIE_NAME, invitation.language, samesite="Lax")
            return answer_page
    return render(
        request, "questionnaires/portal_accept.html", {"invitation": invitation, "form": form, "code": code}
    )


def accept_link(request, token: str):
    return _accept_page(request, Invitation.find(token=token))


def accept_code(request):
    form = CodeForm(request.POST or request.GET or None)
    invitation = Invitation.find(code=form.data.get("code", "")) if form.is_bound else None
    if invitation is None:
        if form.is_bound:
            messages.error(request, _("No invitation has this code; check it or ask the buyer."))
        return render(request, "questionnaires/portal_code.html", {"form": form})
    return _accept_page(request, invitation, form.data.get("code", ""))


def _own_response(request, pk: int) -> Response:
    item = get_object_or_404(Response.objects.select_related("supplier", "version"), pk=pk)
    authorize_portal(request.user, item.supplier)
    return item


def _shown(q: dict, answer):
    """An answer as the form shows it: numbers with a dot (an <input type=number> reads no other)."""
    if q["type"] == "number" and answer is not None:
        return format(float(answer), "g")
    return answer


@requires(Action.PORTAL)
def answer(request, pk: int):
    item = _own_response(request, pk)
    language = (get_language() or "en")[:2]
    editable = item.status in (Response.Status.DRAFT, Response.Status.CLARIFICATION)
    if request.method == "POST" and editable:
        raw = {k: v for k, v in request.POST.items() if not k.startswith(("csrf", "ack_"))}
        acknowledged = [k.removeprefix("ack_") for k in request.POST if k.startswith("ack_")]
        try:
            if "submit" in request.POST:
                if item.status == Response.Status.CLARIFICATION:
                    item.status = Response.Status.DRAFT
                services.submit(item, raw, acknowledged, request.user, language)
                messages.success(request, _("Thank you: your answers are submitted to the buyer."))
            else:
                services.save_draft(item, raw, request.user, language)
                messages.success(request, _("Draft saved."))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("portal_response", pk=item.pk)
    spec = item.version.spec
    result = scoring.score(spec, item.variant, item.answers)
    recommended = {r.question: r.text.get(language) or r.text["en"] for r in result.recommendations}
    questions = []
    for q in scoring.questions_for(spec, item.variant):
        questions.append(
            {
                "q": q,
                "text": q["text"].get(language) or q["text"]["en"],
                "unit": (q.get("unit") or {}).get(language, ""),
                "answer": _shown(q, item.answers.get(q["id"])),
                "options": [(o["value"], o.get(language) or o["en"]) for o in q.get("options", [])],
                "recommendation": recommended.get(q["id"], ""),
                "files": item.evidence.filter(question=q["id"]) if q["type"] == "file" else [],
            }
        )
    return render(
        request,
        "questionnaires/portal_answer.html",
        {
            "response": item,
            "questions": questions,
            "editable": editable,
            "result": result,
            "title": item.version.title(language),
            "evidence_form": EvidenceForm(),
            "intro": item.version.spec.get("intro", {}).get(language, ""),
        },
    )


@requires(Action.PORTAL)
def upload(request):
    supplier = portal_supplier(request.user)
    form = EvidenceForm(request.POST, request.FILES)
    response = None
    if request.POST.get("response"):
        response = _own_response(request, int(request.POST["response"]))
    if form.is_valid():
        try:
            services.upload_evidence(
                supplier,
                form.cleaned_data["file"],
                form.cleaned_data["file"].name,
                form.cleaned_data["title"],
                form.cleaned_data["expires_on"],
                request.user,
                response=response,
                question=form.cleaned_data.get("question") or "",
            )
            messages.success(request, _("Document uploaded."))
        except ValueError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("portal_response", pk=response.pk) if response else redirect("portal")


@requires(Action.PORTAL)
def own_evidence(request, pk: int):
    item = get_object_or_404(Evidence, pk=pk)
    authorize_portal(request.user, item.supplier)
    from fairprocure.web.suppliers.views import _serve

    return _serve(item)
