"""API endpoints; every one asks the same permission functions as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, NinjaAPI, Query, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize, office_in_scope, visible_offices
from fairprocure.web.api import schemas
from fairprocure.web.api.auth import AUTH
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.dashboard.summary import build
from fairprocure.web.register import paging
from fairprocure.web.register.current import supersede
from fairprocure.web.register.decisions import decide
from fairprocure.web.register.filters import filter_lines
from fairprocure.web.register.models import Line
from fairprocure.web.register.ranking import Ranker
from fairprocure.web.register.views import in_register
from fairprocure.web.screenings.forms import PeriodForm
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.services import set_period
from fairprocure.web.screenings.uploads import UploadError, accept

api = NinjaAPI(
    title="fairprocure workspace API",
    version="1",
    auth=AUTH,
    docs_url=None,
    urls_namespace="api",
    description="Screened procurement lines, risk decisions, uploads and the audit log. "
    "Authenticate with `Authorization: Bearer TOKEN` (see `fairprocure users token`).",
)


@api.exception_handler(PermissionDenied)
def denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "permission denied"}, status=403)


@api.exception_handler(UploadError)
def bad_upload(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
@api.exception_handler(ValueError)  # SupersedeError too
def bad_value(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _add_routers() -> None:
    """The workflow apps' own routers (each app keeps its endpoints beside its models)."""
    from fairprocure.web.activities.api import router as activities
    from fairprocure.web.clauses.api import router as clauses
    from fairprocure.web.contracts.api import router as contracts
    from fairprocure.web.findings.api import router as findings
    from fairprocure.web.grievances.api import router as grievances
    from fairprocure.web.kpis.api import router as kpis
    from fairprocure.web.monitoring.api import router as monitoring
    from fairprocure.web.plans.api import router as plans
    from fairprocure.web.questionnaires.api import portal_router
    from fairprocure.web.questionnaires.api import router as questionnaires
    from fairprocure.web.review.api import router as review
    from fairprocure.web.suppliers.api import router as suppliers
    from fairprocure.web.tenders.api import router as tenders

    api.add_router("/contracts", contracts)
    api.add_router("/kpis", kpis)
    api.add_router("/plans", plans)
    api.add_router("/activities", activities)
    api.add_router("/clauses", clauses)
    api.add_router("/tenders", tenders)
    api.add_router("/monitoring", monitoring)
    api.add_router("/findings", findings)
    api.add_router("/grievances", grievances)
    api.add_router("/suppliers", suppliers)
    api.add_router("/questionnaires", questionnaires)
    api.add_router("/portal", portal_router)
    api.add_router("/review", review)


@api.get("/offices", response=list[schemas.OfficeOut], tags=["offices"])
def offices(request):
    authorize(request.user, Action.VIEW)
    return visible_offices(request.user)


class LineFilters(Schema):
    office: str = ""
    level: str = ""
    category: str = ""
    severity: str = ""
    decision: str = ""  # decided / stale / none
    q: str = ""
    sort: str = "priority"
    limit: int = 100
    offset: int = 0  # reads every line before it; the ``after`` of the ``Link`` header does not
    after: str = ""  # the key of the last line of the page before (from the ``Link`` header)


@api.get("/lines", response=list[schemas.LineOut], tags=["register"])
def lines(request, response: HttpResponse, filters: Query[LineFilters]):
    """Register lines in force, ``limit`` at a time. When there are more, the ``Link`` header
    (``rel="next"``) gives the next page's address: a keyset page (``after=``, register/paging.py), as
    fast deep in the register as at its start, unlike ``offset``."""
    authorize(request.user, Action.VIEW)
    office = office_in_scope(request.user, filters.office)
    found = in_register(request.user, office)
    found = filter_lines(
        found,
        level=filters.level,
        category=filters.category,
        severity=filters.severity,
        decision=filters.decision,
        q=filters.q,
        sort=filters.sort,
    ).select_related("office")
    sort = filters.sort if filters.sort in paging.KEYS else "priority"
    size = min(max(filters.limit, 1), 1000)
    key = paging.parse_key(filters.after, sort) if filters.after else None
    if key is not None:
        found = list(paging.seek(found, sort, key).order_by(*paging.order(sort))[: size + 1])
    else:
        start = max(filters.offset, 0)
        found = list(found.order_by(*paging.order(sort))[start : start + size + 1])
    if len(found) > size:
        found = found[:size]
        query = request.GET.copy()
        query.pop("offset", None)
        query["after"] = paging.key_of(found[-1], sort)
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return Ranker().annotate(found)


def _line(request, pk: int, action: Action = Action.VIEW) -> Line:
    line = get_object_or_404(Line.objects.select_related("office"), pk=pk)
    authorize(request.user, action, line.office)
    return line


@api.get("/lines/{pk}", response=schemas.LineDetailOut, tags=["register"])
def line(request, pk: int):
    return Ranker().annotate([_line(request, pk)])[0]


@api.post("/lines/{pk}/decisions", response={201: schemas.DecisionOut}, tags=["register"])
def decision(request, pk: int, payload: schemas.DecisionIn):
    item = _line(request, pk, Action.DECIDE)
    if len(payload.justification.strip()) < 10:
        raise ValueError("justification: write at least 10 characters saying why")
    return Status(201, decide(item, payload.level, payload.justification, request.user))


@api.get("/screenings", response=list[schemas.ScreeningOut], tags=["screenings"])
def screenings(request):
    authorize(request.user, Action.VIEW)
    return Screening.objects.filter(office__in=visible_offices(request.user)).select_related("office")[:500]


@api.get("/screenings/{pk}", response=schemas.ScreeningOut, tags=["screenings"])
def screening(request, pk: int):
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.VIEW, item.office)
    return item


@api.post("/screenings/{pk}/cancel", response=schemas.ScreeningOut, tags=["screenings"])
def cancel_screening(request, pk: int):
    """Cancel a queued or running screening; 409 if it had already ended."""
    from fairprocure.web.screenings.jobs import cancel

    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    if not cancel(item, request.user):
        return api.create_response(request, {"detail": f"screening {pk} had already ended"}, status=409)
    item.refresh_from_db()
    return item


@api.post("/screenings/{pk}/replaces/{old}", response=schemas.SupersedeOut, tags=["screenings"])
def replace(request, pk: int, old: int):
    """Screening ``pk`` (a corrected file) replaces screening ``old`` of the same office; audited."""
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    earlier = get_object_or_404(Screening.objects.select_related("office"), pk=old)
    authorize(request.user, Action.UPLOAD, earlier.office)
    counts = supersede(item, earlier, request.user)
    return counts | {"screening": earlier}


@api.post("/screenings/{pk}/period", response=schemas.ScreeningOut, tags=["screenings"])
def period(request, pk: int, payload: schemas.PeriodIn):
    """Set the months the screening's file covers (``YYYY-MM``); empty: from the lines' dates. Audited."""
    item = get_object_or_404(Screening.objects.select_related("office"), pk=pk)
    authorize(request.user, Action.UPLOAD, item.office)
    form = PeriodForm({"period_start": payload.start, "period_end": payload.end})
    if not form.is_valid():
        raise ValueError(" ".join(str(e) for errors in form.errors.values() for e in errors))
    set_period(item, form.cleaned_data["period_start"], form.cleaned_data["period_end"], request.user)
    return item


@api.post(
    "/offices/{code}/screenings",
    response={201: schemas.ScreeningOut, 200: schemas.ScreeningOut},
    tags=["screenings"],
)
def upload(request, code: str, file: File[UploadedFile]):
    office = office_in_scope(request.user, code, Action.UPLOAD)
    item, created = accept(file, file.name, office, request.user)
    return Status(201 if created else 200, item)


@api.get("/dashboard", response=schemas.DashboardOut, tags=["dashboard"])
def dashboard(request, office: str = ""):
    authorize(request.user, Action.VIEW)
    chosen = office_in_scope(request.user, office)
    board = build([chosen] if chosen else visible_offices(request.user))
    return {
        "lines": board.lines,
        "high_or_critical": board.high,
        "spend_eur": board.spend,
        "spend_known_origin_eur": board.spend_known_origin,
        "heat": {
            row.category: {
                cell.office.code: {
                    "lines": cell.lines,
                    "high_or_critical": cell.high,
                    "spend_eur": cell.spend,
                    "mean_score": round(cell.score, 2),
                }
                for cell in row.cells
                if cell.lines
            }
            for row in board.heat
        },
        "matrix": {band: {cell.severity: cell.lines for cell in cells} for band, cells in board.matrix},
        "top": board.top,
    }


@api.get("/audit", response=list[schemas.AuditOut], tags=["audit"])
def audit(request, limit: int = 100, offset: int = 0):
    authorize(request.user, Action.AUDIT)
    start = max(offset, 0)
    return AuditEvent.objects.select_related("office")[start : start + min(max(limit, 1), 1000)]


_add_routers()
