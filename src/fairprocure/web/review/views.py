"""Review pages: the queue, the decisions (with the decision file), the organisation's text model."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    everywhere,
    office_in_scope,
    requires,
    visible_offices,
)
from fairprocure.web.labels import category_label
from fairprocure.web.review import services, training
from fairprocure.web.review.forms import DecisionForm, ImportForm, category_choices
from fairprocure.web.review.memory import learn
from fairprocure.web.review.models import CategoryDecision, TrainingRun


def _office(request, action: Action = Action.VIEW):
    """The office the page is about: ``?office=`` (or the form's), else the user's own, else the first visible."""
    code = request.POST.get("office") or request.GET.get("office")
    office = office_in_scope(request.user, code, action)
    if office is None:
        membership = getattr(request.user, "membership", None)
        office = getattr(membership, "office", None) if membership else None
        if office is None or not allowed(request.user, action, office):
            office = visible_offices(request.user, action).first()
    if office is None:
        raise PermissionDenied("no office you may see")
    return office


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@requires(Action.VIEW)
def queue(request):
    office = _office(request)
    by = "supplier" if request.GET.get("by") == "supplier" else "description"
    q = request.GET.get("q", "").strip()
    items = services.queue([office], by=by, q=q)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    can_classify = allowed(request.user, Action.CLASSIFY, office)
    return render(
        request,
        "review/queue.html",
        {
            "office": office,
            "offices": visible_offices(request.user),
            "by": by,
            "q": q,
            "page": page,
            "total_lines": sum(i.lines for i in items),
            "total_spend": sum(i.spend_eur for i in items),
            "can_classify": can_classify,
            "can_organisation": can_classify and everywhere(request.user, Action.CLASSIFY),
            "categories": category_choices() if can_classify else [],
            "model": training.in_use(office.organisation),
            "query": request.GET.urlencode(),
        },
    )


@requires(Action.CLASSIFY)
@require_POST
def decide(request):
    office = _office(request, Action.CLASSIFY)
    form = DecisionForm(request.POST)
    back = _back(request, reverse("review") + f"?office={office.code}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    organisation_wide = data.get("scope") == "organisation"
    if organisation_wide and not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may decide for the whole organisation")
    what = {"description": data["text"]} if data["kind"] == "description" else {"supplier": data["text"]}
    try:
        decision = services.decide(
            request.user,
            office,
            organisation_wide=organisation_wide,
            category=data["decided_category"],
            cpv=data["decided_cpv"],
            note=data.get("note", ""),
            **what,
        )
    except services.DecisionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("%(what)s → %(category)s (lines classified: %(lines)s).")
        % {
            "what": decision.description or decision.supplier,
            "category": category_label(decision.category),
            "lines": decision.lines,
        },
    )
    return redirect(back)


@requires(Action.VIEW)
def decisions(request):
    office = _office(request)
    found = CategoryDecision.objects.filter(organisation_id=office.organisation_id).filter(
        office__isnull=True
    ) | CategoryDecision.objects.filter(office=office)
    state = request.GET.get("state", "in_force")
    if state == "in_force":
        found = found.filter(in_force=True)
    page = Paginator(found.select_related("office").order_by("-at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    can_classify = allowed(request.user, Action.CLASSIFY, office)
    can_organisation = can_classify and everywhere(request.user, Action.CLASSIFY)
    return render(
        request,
        "review/decisions.html",
        {
            "office": office,
            "offices": visible_offices(request.user),
            "page": page,
            "state": state,
            "can_classify": can_classify,
            "can_organisation": can_organisation,
            "import_form": ImportForm() if can_classify else None,
            "memory": sorted(learn(office).values(), key=lambda m: (-m.learned_from, m.supplier)),
        },
    )


@requires(Action.VIEW)
def export(request):
    office = _office(request)
    body = services.export_csv(services.in_force(office), learn(office).values())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decisions-{office.code}.csv"'
    return response


@requires(Action.CLASSIFY)
@require_POST
def import_file(request):
    office = _office(request, Action.CLASSIFY)
    back = reverse("review-decisions") + f"?office={office.code}"
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    organisation_wide = form.cleaned_data.get("scope") == "organisation"
    if organisation_wide and not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may decide for the whole organisation")
    upload = form.cleaned_data["file"]
    try:
        taken = services.import_file(
            request.user, office, upload.read(), upload.name, organisation_wide=organisation_wide
        )
    except services.DecisionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, _("Decisions imported: %(n)s.") % {"n": taken})
    return redirect(back)


@requires(Action.CLASSIFY)
@require_POST
def withdraw(request, pk: int):
    decision = get_object_or_404(CategoryDecision.objects.select_related("office"), pk=pk)
    if decision.office_id:
        authorize(request.user, Action.CLASSIFY, decision.office)
    elif not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may withdraw an organisation-wide decision")
    office = decision.office or _office(request)
    try:
        services.withdraw(request.user, decision)
    except services.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision withdrawn; its lines were classified again."))
    return redirect(_back(request, reverse("review-decisions") + f"?office={office.code}"))


@requires(Action.VIEW)
def model(request):
    office = _office(request)
    organisation = office.organisation
    training._forget_interrupted(organisation)
    runs = TrainingRun.objects.filter(organisation=organisation)[:20]
    context = {
        "office": office,
        "organisation": organisation,
        "model": training.in_use(organisation),
        "runs": runs,
        "busy": training.busy(organisation),
        "can_train": everywhere(request.user, Action.CLASSIFY),
        "decided": training.decided_descriptions(organisation).count(),
    }
    template = "review/_model.html" if request.htmx else "review/model.html"
    return render(request, template, context)


@requires(Action.CLASSIFY)
@require_POST
def retrain(request):
    office = _office(request)
    if not everywhere(request.user, Action.CLASSIFY):
        raise PermissionDenied("only roles with every office may retrain the organisation's model")
    back = reverse("review-model") + f"?office={office.code}"
    if request.POST.get("action") == "shipped":
        training.stop_using(office.organisation, request.user)
        messages.success(request, _("Screenings use the shipped text model again."))
        return redirect(back)
    try:
        training.start(office.organisation, request.user)
    except services.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Retraining started; it runs in the background."))
    return redirect(back)
