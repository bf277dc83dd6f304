"""The annual report in the workspace: the page, and its HTML, PDF and DOCX files, in English or Russian."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from fairprocure.web.accounts.permissions import Action, office_in_scope, requires, visible_offices
from fairprocure.web.kpis.views import year_of
from fairprocure.web.reports import render as writers

TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _scope(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    lang = request.GET.get("lang") or (get_language() or "en")[:2]
    return (
        office,
        ([office] if office else list(visible_offices(request.user))),
        lang if lang in writers.LANGUAGES else "en",
    )


@requires(Action.VIEW)
def annual(request):
    office, offices, lang = _scope(request)
    year = year_of(request)
    ctx = writers.build(offices, year, lang)
    return render(
        request,
        "reports/annual.html",
        ctx
        | {
            "year": year,
            "office": office,
            "choices": visible_offices(request.user),
            "languages": writers.LANGUAGES,
        },
    )


@requires(Action.VIEW)
def annual_file(request, year: int, fmt: str):
    if fmt not in TYPES:
        raise Http404(f"no {fmt} version: choose html, pdf or docx")
    _office, offices, lang = _scope(request)
    body = writers.WRITERS[fmt](writers.build(offices, year, lang))
    response = HttpResponse(body, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{writers.file_name(year, lang, fmt)}"'
    return response
