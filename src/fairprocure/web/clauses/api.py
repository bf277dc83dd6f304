"""The clause library API: list, read, add, draft a version, approve (a router of the workspace API)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairprocure.web.accounts.permissions import Action, authorize
from fairprocure.web.clauses import services
from fairprocure.web.clauses.models import Clause
from fairprocure.web.clauses.views import filter_clauses

router = Router(tags=["clauses"])


class VersionOut(Schema):
    number: int
    texts: dict
    note: str
    approved: bool
    approved_at: dt.datetime | None
    approver: str
    drafted_at: dt.datetime

    @staticmethod
    def resolve_approver(obj) -> str:
        return obj.approver_name


class ClauseOut(Schema):
    key: str
    type: str
    tier: str
    categories: list[str]
    sources: list[str]
    source_note: str
    licence: str
    shipped: bool
    current: int | None
    versions: list[VersionOut]

    @staticmethod
    def resolve_current(obj) -> int | None:
        current = obj.current()
        return current.number if current else None

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())


class TextsIn(Schema):
    title_en: str
    text_en: str
    title_ru: str
    text_ru: str

    def texts(self) -> dict:
        return {
            lang: {"title": getattr(self, f"title_{lang}"), "text": getattr(self, f"text_{lang}")}
            for lang in ("en", "ru")
        }


class VersionIn(TextsIn):
    note: str


class ClauseIn(TextsIn):
    key: str
    type: str
    tier: str
    categories: list[str]
    sources: list[str] = []
    source_note: str = ""
    licence: str = ""
    note: str = ""


class ClauseFilters(Schema):
    type: str = ""
    tier: str = ""
    category: str = ""


@router.get("", response=list[ClauseOut])
def clauses(request, filters: Query[ClauseFilters]):
    authorize(request.user, Action.VIEW)
    return list(filter_clauses(Clause.objects.prefetch_related("versions"), **filters.dict()))


@router.get("/{key}", response=ClauseOut)
def clause(request, key: str):
    authorize(request.user, Action.VIEW)
    return get_object_or_404(Clause, key=key)


@router.post("", response={201: ClauseOut})
def add(request, payload: ClauseIn):
    authorize(request.user, Action.LIBRARY)
    d = payload.dict()
    return Status(
        201,
        services.add_clause(
            request.user,
            key=d["key"],
            type=d["type"],
            tier=d["tier"],
            categories=d["categories"],
            texts=payload.texts(),
            sources=d["sources"],
            source_note=d["source_note"],
            licence=d["licence"],
            note=d["note"],
        ),
    )


@router.post("/{key}/versions", response={201: VersionOut})
def draft(request, key: str, payload: VersionIn):
    authorize(request.user, Action.LIBRARY)
    item = get_object_or_404(Clause, key=key)
    return Status(201, services.draft_version(item, request.user, payload.texts(), payload.note))


@router.post("/{key}/versions/{number}/approve", response=VersionOut)
def approve(request, key: str, number: int):
    authorize(request.user, Action.LIBRARY)
    version = get_object_or_404(get_object_or_404(Clause, key=key).versions, number=number)
    return services.approve(version, request.user)
