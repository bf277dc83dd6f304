"""Register pages: the filtered list (HTMX-refreshed), exports, a line's page and its risk decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairprocure.web.accounts.permissions import (
    Action,
    allowed,
    authorize,
    office_in_scope,
    requires,
    sees_every_office,
    visible_offices,
)
from fairprocure.web.audit.log import record
from fairprocure.web.labels import level_label
from fairprocure.web.register import exports
from fairprocure.web.register.decisions import decide
from fairprocure.web.register.filters import DECISIONS, SORTS, categories_of, filter_lines
from fairprocure.web.register.forms import DecisionForm
from fairprocure.web.register.models import LEVELS, Decision, Export, Line
from fairprocure.web.register.paging import exact_total, page_of
from fairprocure.web.register.ranking import Ranker

FILTERS = ("level", "category", "severity", "decision", "q", "sort")


def in_register(user, office=None):
    """The register's lines ``user`` may see: ``office``'s, else every visible office's.

    When the user sees every office no office condition is added, so the organisation's order is read
    straight from its index instead of sorting the lines of a list of offices. The offices are given as
    their ids, not as a subquery: with ``office_id IN (SELECT ...)`` SQLite cannot tell it is one office
    and sorts all its lines (80-100 ms at 100,000 lines an office) instead of walking its index (1 ms).
    """
    lines = Line.objects.filter(current=True)
    if office is not None:
        return lines.filter(office=office)
    if sees_every_office(user):
        return lines
    ids = list(visible_offices(user).values_list("pk", flat=True))
    return lines.filter(office_id=ids[0]) if len(ids) == 1 else lines.filter(office_id__in=ids)


def _lines(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    lines = in_register(request.user, office)
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    return office, filter_lines(lines, **{k: v for k, v in params.items() if v}), params


def _total(user, office, params: dict) -> int | None:
    """How many lines match, when the office statistics know it exactly (no search, no decision filter)."""
    if params["q"] or params["decision"]:
        return None
    offices = [office] if office else visible_offices(user)
    return exact_total(offices, params["level"], params["category"], params["severity"])


@requires(Action.VIEW)
def register(request):
    office, lines, params = _lines(request)
    query = {k: v for k, v in request.GET.items() if k in (*FILTERS, "office", "page", "after", "before")}
    page = page_of(lines.select_related("office"), params["sort"] or "priority", query)
    page.total = _total(request.user, office, params)
    Ranker().annotate(page.lines)
    context = {
        "page": page,
        "office": office,
        "params": params,
        "levels": LEVELS,
        "sorts": {key: label for key, (label, _order) in SORTS.items()},
        "decisions": DECISIONS,
        "categories": categories_of([office] if office else visible_offices(request.user)),
        "offices": visible_offices(request.user),
        "query": request.GET.urlencode(),
        "export_inline": page.total is not None and page.total <= exports.INLINE_MAX,
    }
    template = "register/_table.html" if request.htmx else "register/register.html"
    return render(request, template, context)


@requires(Action.VIEW)
def export(request, fmt: str):
    _, lines, _ = _lines(request)
    return exports.xlsx_response(lines) if fmt == "xlsx" else exports.csv_response(lines)


@requires(Action.VIEW)
@require_POST
def export_request(request):
    """Queue a large export of the register as the page shows it (office, filters, sort)."""
    fmt = "xlsx" if request.POST.get("fmt") == "xlsx" else "csv"
    query = request.POST.get("query", "")
    office_in_scope(request.user, QueryDict(query).get("office"))  # refused now, not later
    job = Export.objects.create(requested_by=request.user, fmt=fmt, query=query)
    record(request.user, "register.export", target=f"{fmt}: {query}"[:300], details={"export": job.pk})
    return redirect("register-export-job", pk=job.pk)


def _own_export(request, pk: int) -> Export:
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


@requires(Action.VIEW)
def export_job(request, pk: int):
    job = _own_export(request, pk)
    return render(request, "register/export.html", {"job": job, "query": job.query})


@requires(Action.VIEW)
def export_file(request, pk: int):
    job = _own_export(request, pk)
    path = exports.path_of(job)
    if job.status != Export.Status.DONE or not path.exists():
        raise Http404
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if job.fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"register.{job.fmt}", content_type=content_type
    )


def _decisions(line: Line) -> list[dict]:
    """Every decision about this line's identity, newest first, with what it was about and its state."""
    found = Decision.objects.filter(office=line.office, line_key=line.line_id).select_related(
        "decided_by", "line__screening"
    )
    out = []
    for decision in found:
        if decision.pk == line.decision_id:
            state = "stale" if line.decision_stale else ("in_force" if line.current else "latest")
        else:
            state = "earlier"
        out.append({"d": decision, "state": state, "same_version": decision.line_id == line.pk})
    return out


@requires(Action.VIEW)
def line(request, pk: int):
    item = get_object_or_404(
        Line.objects.select_related("office", "screening", "superseded_by__screening"), pk=pk
    )
    authorize(request.user, Action.VIEW, item.office)
    item.rank = Ranker().rank(item)
    can_decide = allowed(request.user, Action.DECIDE, item.office) and item.current
    form = DecisionForm(initial={"level": item.level}) if can_decide else None
    if request.method == "POST":
        authorize(request.user, Action.DECIDE, item.office)
        if not item.current:
            messages.error(request, _("This version of the line is no longer in the register."))
            return redirect("line", pk=item.pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            decision = decide(
                item, form.cleaned_data["level"], form.cleaned_data["justification"], request.user
            )
            messages.success(
                request,
                _("Decision recorded: %(kind)s, risk level %(level)s.")
                % {"kind": decision.get_kind_display(), "level": level_label(decision.level)},
            )
            return redirect("line", pk=item.pk)
    return render(
        request,
        "register/line.html",
        {"line": item, "form": form, "decisions": _decisions(item)},
    )
