"""Clause library pages: the library, a clause with its versions, a new clause, drafting and approving."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairprocure.web.accounts.permissions import Action, allowed, authorize, requires
from fairprocure.web.clauses import services
from fairprocure.web.clauses.forms import ClauseForm, VersionForm
from fairprocure.web.clauses.library import cite
from fairprocure.web.clauses.models import Clause
from fairprocure.web.labels import CATEGORY_LABELS


def filter_clauses(clauses, *, type: str = "", tier: str = "", category: str = ""):
    if type:
        clauses = clauses.filter(type=type)
    if tier:
        clauses = clauses.filter(tier=tier)
    if category:
        clauses = [c for c in clauses if c.applies_to(category)]
    return clauses


@requires(Action.VIEW)
def library(request):
    params = {k: request.GET.get(k, "").strip() for k in ("type", "tier", "category")}
    clauses = filter_clauses(Clause.objects.prefetch_related("versions"), **params)
    rows = []
    for clause in clauses:
        versions = list(clause.versions.all())
        current = next((v for v in versions if v.approved), None)
        pending = [v for v in versions if not v.approved and (current is None or v.number > current.number)]
        rows.append({"clause": clause, "current": current, "pending": pending, "latest": versions[0]})
    return render(
        request,
        "clauses/library.html",
        {
            "rows": rows,
            "params": params,
            "types": Clause.Type.choices,
            "tiers": Clause.Tier.choices,
            "categories": CATEGORY_LABELS.items(),
            "can_edit": allowed(request.user, Action.LIBRARY),
        },
    )


@requires(Action.VIEW)
def clause(request, key: str):
    item = get_object_or_404(Clause, key=key)
    can_edit = allowed(request.user, Action.LIBRARY)
    current = item.current()
    form = None
    if can_edit:
        initial = {}
        if current:
            initial = {
                f"{f}_{lang}": current.texts.get(lang, {}).get(f, "")
                for f in ("title", "text")
                for lang in ("en", "ru")
            }
        form = VersionForm(initial=initial, prefix="v")
    if request.method == "POST":
        authorize(request.user, Action.LIBRARY)
        if "approve" in request.POST:
            version = get_object_or_404(item.versions, number=request.POST.get("approve"))
            try:
                services.approve(version, request.user)
                messages.success(request, _("Version %(n)s approved.") % {"n": version.number})
            except ValueError as error:
                messages.error(request, str(error))
            return redirect("clause", key=item.key)
        form = VersionForm(request.POST, prefix="v")
        if form.is_valid():
            try:
                version = services.draft_version(item, request.user, form.texts(), form.cleaned_data["note"])
                messages.success(
                    request,
                    _("Version %(n)s drafted; a focal point approves it before use.") % {"n": version.number},
                )
                return redirect("clause", key=item.key)
            except ValueError as error:
                form.add_error(None, str(error))
    return render(
        request,
        "clauses/clause.html",
        {
            "clause": item,
            "current": current,
            "current_number": current.number if current else 0,
            "versions": item.versions.select_related("drafted_by", "approved_by"),
            "sources": cite(item.sources),
            "categories": ["*"] if "*" in item.categories else item.categories,
            "form": form,
            "can_edit": can_edit,
        },
    )


@requires(Action.LIBRARY)
def new_clause(request):
    form = ClauseForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.add_clause(
                request.user,
                key=d["key"],
                type=d["type"],
                tier=d["tier"],
                categories=d["categories"],
                texts=form.texts(),
                sources=d["sources"],
                source_note=d["source_note"],
                licence=d["licence"],
                note=d["note"],
            )
            messages.success(request, _("Clause added as a draft; a focal point approves it before use."))
            return redirect("clause", key=item.key)
        except ValueError as error:
            form.add_error(None, str(error))
    return render(request, "clauses/new.html", {"form": form})
