"""The annual report, assembled from the records: KPIs, the risk picture, actions and results by office.

:func:`assemble` reads the workspace once and returns plain values (:class:`AnnualReport`); the
statement drafts (:mod:`.statements`) and the writers (:mod:`.render`) work on those values only, so
the HTML page, the PDF and the DOCX carry the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from fairprocure.web.activities.models import Activity
from fairprocure.web.contracts.models import Assessment
from fairprocure.web.dashboard.summary import build
from fairprocure.web.kpis.table import compute_table
from fairprocure.web.labels import category_label
from fairprocure.web.offices.models import Organisation
from fairprocure.web.plans.models import ActionPlan

HEAT_ROWS = 12  # categories in the report's heat map, riskiest first


@dataclass
class Figure:
    id: str
    label: str
    unit: str
    value: float | None
    previous: float | None
    trend: float | None
    by_office: dict[str, float | None]


@dataclass
class HeatCell:
    lines: int
    high: int
    score: float
    spend: float

    @property
    def band(self) -> int:
        """The 20-point class of the mean score (0–4), as on the dashboard's scale."""
        return min(4, max(0, int(self.score // 20)))


@dataclass
class HeatRow:
    category: str
    label: str
    cells: list[HeatCell | None]  # one per office, None where the office has no lines of it
    total: HeatCell


@dataclass
class ActionLine:
    title: str
    goal: str
    owner: str
    due: dt.date | None
    status: str
    status_label: str
    evidence: str
    overdue: bool


@dataclass
class ActivityLine:
    date: dt.date
    kind: str
    kind_label: str
    title: str
    participants: int


@dataclass
class ContractLine:
    label: str
    justification: str
    measures: str
    value_eur: float
    status_label: str


@dataclass
class OfficeSection:
    code: str
    name: str
    country: str
    plan_status: str  # "" when the office has no plan for the year
    plan_status_label: str
    approved_by: str
    approved_on: dt.date | None
    actions: list[ActionLine] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    high_risk_contracts: list[ContractLine] = field(default_factory=list)


@dataclass
class AnnualReport:
    organisation: str
    year: int
    generated: dt.datetime
    offices: list[OfficeSection]
    figures: list[Figure]
    lines: int = 0
    high_lines: int = 0
    spend_eur: float = 0.0
    heat: list[HeatRow] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def figure(self, kpi_id: str) -> float | None:
        return next((f.value for f in self.figures if f.id == kpi_id), None)

    def has(self, *kpi_ids: str) -> bool:
        """Are these KPIs registered (their modules installed), whatever their values?"""
        known = {f.id for f in self.figures}
        return all(k in known for k in kpi_ids)

    @property
    def office_codes(self) -> list[str]:
        return [o.code for o in self.offices]


def _figures(offices, year: int) -> list[Figure]:
    table = compute_table(offices, year, span=2)
    return [
        Figure(
            id=row.id,
            label=str(row.kpi.label),
            unit=row.kpi.unit,
            value=row.current.value,
            previous=row.previous.value if row.previous else None,
            trend=row.trend,
            by_office={code: years[year].value for code, years in row.offices.items()},
        )
        for row in table.rows
    ]


def _heat(board) -> list[HeatRow]:
    rows = []
    for row in board.heat[:HEAT_ROWS]:
        cells = [HeatCell(c.lines, c.high, c.score, c.spend) if c.lines else None for c in row.cells]
        total = row.total
        rows.append(
            HeatRow(
                category=row.category,
                label=category_label(row.category, row.label),
                cells=cells,
                total=HeatCell(total.lines, total.high, total.score, total.spend),
            )
        )
    return rows


def _office(office, year: int, today: dt.date) -> OfficeSection:
    plan = ActionPlan.objects.filter(office=office, year=year).select_related("approved_by").first()
    section = OfficeSection(
        code=office.code,
        name=office.name,
        country=office.country,
        plan_status=plan.status if plan else "",
        plan_status_label=str(plan.get_status_display()) if plan else "",
        approved_by=plan.approved_by.username if plan and plan.approved_by else "",
        approved_on=plan.approved_at.date() if plan and plan.approved_at else None,
    )
    if plan:
        for action in plan.actions.select_related("goal", "owner").order_by("goal__order", "due_date", "pk"):
            section.actions.append(
                ActionLine(
                    title=action.title,
                    goal=action.goal.title if action.goal else "",
                    owner=action.owner.username if action.owner else "",
                    due=action.due_date,
                    status=action.status,
                    status_label=str(action.get_status_display()),
                    evidence=action.evidence,
                    overdue=action.overdue(today),
                )
            )
    for activity in Activity.objects.filter(office=office, date__year=year).order_by("date", "pk"):
        section.activities.append(
            ActivityLine(
                activity.date,
                activity.kind,
                str(activity.get_kind_display()),
                activity.title,
                activity.participants,
            )
        )
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(contract__office=office, at__year=year)
        .select_related("contract")
        .order_by("at", "pk")
    ):
        latest[assessment.contract_id] = assessment
    for assessment in latest.values():
        if assessment.high_risk:
            contract = assessment.contract
            section.high_risk_contracts.append(
                ContractLine(
                    label=str(contract.label),
                    justification=assessment.justification,
                    measures=assessment.measures,
                    value_eur=contract.value_eur,
                    status_label=str(contract.get_status_display()),
                )
            )
    return section


def assemble(offices, year: int, today: dt.date | None = None) -> AnnualReport:
    """The report of ``offices`` (those the reader may see) for calendar ``year``, in the active language."""
    offices = list(offices)
    today = today or timezone.localdate()
    board = build(offices)
    return AnnualReport(
        organisation=Organisation.default().name,
        year=year,
        generated=timezone.now(),
        offices=[_office(o, year, today) for o in offices],
        figures=_figures(offices, year),
        lines=board.lines,
        high_lines=board.high,
        spend_eur=board.spend,
        heat=_heat(board),
        countries=sorted({o.country for o in offices}),
    )
