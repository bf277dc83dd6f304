"""API payloads."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class OfficeOut(Schema):
    code: str
    name: str
    country: str


class LineOut(Schema):
    id: int
    office: str
    line_id: str
    record_id: str
    fingerprint: str
    screening: int
    current: bool
    contract_id: str
    description: str
    supplier_name: str
    category: str
    category_label: str
    classification_status: str
    value_eur: float | None
    date: dt.date | None
    risk_score: float
    risk_level: str
    decided_level: str  # the level a decision put in force ("" when none, or when it is stale)
    decision_stale: bool  # a decision was made on other content of this line: look again
    likelihood: float | None
    severity: str
    priority_rank: int | None  # 1 = the line to look at first in the whole organisation

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_screening(obj) -> int:
        return obj.screening_id

    @staticmethod
    def resolve_priority_rank(obj) -> int | None:
        """The line's place in the organisation's order (set by the endpoint: ranking.Ranker)."""
        return getattr(obj, "rank", obj.priority_rank if obj.current else None)


class FactorOut(Schema):
    factor: str
    points: float
    evidence: str | None = None
    source: str | None = None


class LineDetailOut(LineOut):
    factors: list[FactorOut]
    source_file: str
    source_record: str

    @staticmethod
    def resolve_factors(obj) -> list[dict]:
        return obj.factor_list()


class DecisionIn(Schema):
    level: str
    justification: str


class DecisionOut(Schema):
    kind: str
    level: str
    previous_level: str
    original_level: str
    original_score: float
    justification: str
    at: dt.datetime


class ScreeningOut(Schema):
    id: int
    office: str
    file_name: str
    status: str  # held, queued, running, done, failed, cancelled
    progress: float  # 0..1
    message: str  # what a running job does now; why a job failed or who cancelled it
    line_count: int
    created: dt.datetime
    period_start: dt.date | None
    period_end: dt.date | None
    period_set_by: str
    in_register: bool
    superseded_by: int | None

    @staticmethod
    def resolve_superseded_by(obj) -> int | None:
        return obj.superseded_by_id

    started: dt.datetime | None
    finished: dt.datetime | None
    uploaded_by: str

    @staticmethod
    def resolve_progress(obj) -> float:
        from fairprocure.web.screenings.jobs import live_progress

        return round(live_progress(obj)[0], 3)

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code


class PeriodIn(Schema):
    start: str = ""  # YYYY-MM; empty: read the period from the lines' dates
    end: str = ""  # YYYY-MM; empty: the start month


class SupersedeOut(Schema):
    lines_before: int
    brought_again: int
    left_the_register: int
    decisions_on_lines_gone: int
    screening: ScreeningOut


class AuditOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    office: str | None
    target: str
    details: dict

    @staticmethod
    def resolve_office(obj) -> str | None:
        return obj.office.code if obj.office else None


class HeatCellOut(Schema):
    lines: int
    high_or_critical: int
    spend_eur: float
    mean_score: float


class DashboardOut(Schema):
    lines: int
    high_or_critical: int
    spend_eur: float
    spend_known_origin_eur: float
    heat: dict[str, dict[str, HeatCellOut]]  # category id → office code → cell (offices with lines)
    matrix: dict[str, dict[str, int]]
    top: list[LineOut]
