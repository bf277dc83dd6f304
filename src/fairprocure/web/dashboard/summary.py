"""What the dashboard shows, computed from ``CellStat`` rows and a few indexed queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.labels import SEVERITIES, category_label, severity_key
from fairprocure.web.register.models import LEVELS, Line
from fairprocure.web.register.ranking import Ranker
from fairprocure.web.screenings.models import Screening

HIGH = ("high", "critical")
BANDS = ["80–100", "60–80", "40–60", "20–40", "0–20"]  # likelihood bands, most likely first

# Sequential colour scales (ColorBrewer YlOrRd for risk scores, Blues for counts), lightest first.
RISK_SCALE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
COUNT_SCALE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
LEVEL_COLOURS = {"low": "#7fb77e", "medium": "#f2c94c", "high": "#e8804f", "critical": "#8b0000"}
EMPTY = "#ffffff"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG contrast ratio)."""
    on_black = (_luminance(fill) + 0.05) / 0.05
    on_white = 1.05 / (_luminance(fill) + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


def risk_colour(score: float) -> str:
    """The fill of a mean risk score (0–100): one of five 20-point classes."""
    return RISK_SCALE[min(4, max(0, int(score // 20)))]


def count_colour(n: int, peak: int) -> str:
    return EMPTY if not n or not peak else COUNT_SCALE[min(4, int(5 * n / (peak + 1)))]


@dataclass
class HeatCell:
    """One office × category cell: its lines, high or critical ones, spend and mean risk score."""

    office: object
    category: str
    lines: int = 0
    high: int = 0
    spend: float = 0.0
    score_sum: float = 0.0

    @property
    def score(self) -> float:
        return self.score_sum / self.lines if self.lines else 0.0

    @property
    def fill(self) -> str:
        return risk_colour(self.score) if self.lines else EMPTY

    @property
    def code(self) -> str:
        """The office's code, empty for a row's total."""
        return self.office.code if self.office else ""

    @property
    def where(self) -> str:
        return self.office.code if self.office else str(_("all offices"))

    @property
    def ink(self) -> str:
        return ink(self.fill)


@dataclass
class HeatRow:
    category: str
    label: str
    cells: list[HeatCell]

    @property
    def columns(self) -> list[HeatCell]:
        """The offices' cells, then (with more than one office) the row's total."""
        return [*self.cells, self.total] if len(self.cells) > 1 else self.cells

    @cached_property
    def total(self) -> HeatCell:
        total = HeatCell(office=None, category=self.category)
        for cell in self.cells:
            total.lines += cell.lines
            total.high += cell.high
            total.spend += cell.spend
            total.score_sum += cell.score_sum
        return total


@dataclass
class MatrixCell:
    band: str
    severity: str
    lines: int
    fill: str

    @property
    def ink(self) -> str:
        return ink(self.fill)


@dataclass
class Bar:
    """One bar of a horizontal bar chart, with its geometry in the SVG's user units."""

    key: str
    label: str
    value: float
    share: float  # percent of the chart's total
    width: float
    fill: str
    y: int = 0
    score: float | None = None


CHART_WIDTH = 480  # user units available to the longest bar
ROW_HEIGHT = 38


def bars(items: list[tuple[str, str, float, str, float | None]]) -> list[Bar]:
    """Bars for ``(key, label, value, fill, score)`` items, scaled to the largest value."""
    peak = max((value for _, _, value, _, _ in items), default=0.0)
    total = sum(value for _, _, value, _, _ in items)
    return [
        Bar(
            key=key,
            label=label,
            value=value,
            share=100 * value / total if total else 0.0,
            width=max(1.0, CHART_WIDTH * value / peak) if peak and value else 0.0,
            fill=fill,
            y=i * ROW_HEIGHT,
            score=score,
        )
        for i, (key, label, value, fill, score) in enumerate(items)
    ]


@dataclass
class Dashboard:
    offices: list
    lines: int = 0
    high: int = 0
    spend: float = 0.0
    spend_known_origin: float = 0.0
    heat: list[HeatRow] = field(default_factory=list)  # riskiest category first
    matrix: list[tuple[str, list[MatrixCell]]] = field(default_factory=list)  # likelihood band rows
    severities: list[str] = field(default_factory=list)
    spend_by_level: list[Bar] = field(default_factory=list)
    spend_by_category: list[Bar] = field(default_factory=list)
    top: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def known_pct(self) -> float:
        return 100 * self.spend_known_origin / self.spend if self.spend else 0.0

    @property
    def risk_legend(self) -> list[tuple[str, str, str]]:
        return [(f"{20 * i}–{20 * (i + 1)}", fill, ink(fill)) for i, fill in enumerate(RISK_SCALE)]

    @property
    def chart_height(self) -> int:
        return max(1, len(self.spend_by_category)) * ROW_HEIGHT

    @property
    def level_chart_height(self) -> int:
        return len(self.spend_by_level) * ROW_HEIGHT


TOP_CATEGORIES = 12  # bars in the spend-by-category chart


def build(offices) -> Dashboard:
    """The dashboard of ``offices`` (a queryset the user may see): a few grouped queries on ``CellStat``."""
    offices = list(offices)
    board = Dashboard(offices=offices)
    cells = CellStat.objects.filter(office__in=offices)
    high = Q(level__in=HIGH)
    totals = cells.aggregate(
        n_lines=Sum("lines"),
        n_high=Sum("lines", filter=high),
        spend=Sum("spend_eur"),
        known=Sum("spend_known_origin_eur"),
    )
    board.lines, board.high = totals["n_lines"] or 0, totals["n_high"] or 0
    board.spend, board.spend_known_origin = totals["spend"] or 0.0, totals["known"] or 0.0
    board.heat = _heat(cells, offices)
    board.severities, board.matrix = _matrix(cells)

    by_level = {
        row["level"]: row["spend"] or 0.0 for row in cells.values("level").annotate(spend=Sum("spend_eur"))
    }
    board.spend_by_level = bars(
        [(lv, lv, by_level.get(lv, 0.0), LEVEL_COLOURS[lv], None) for lv in reversed(LEVELS)]
    )
    by_spend = sorted(board.heat, key=lambda row: -row.total.spend)[:TOP_CATEGORIES]
    board.spend_by_category = bars(
        [
            (row.category, row.label, row.total.spend, risk_colour(row.total.score), row.total.score)
            for row in by_spend
        ]
    )
    board.top = top_lines(offices)
    board.changes = [change for o in offices if (change := _change(o))]
    return board


def _heat(cells, offices: list) -> list[HeatRow]:
    """Office × category cells, categories without lines left out, highest mean risk score first."""
    grid: dict[str, dict[int, HeatCell]] = defaultdict(dict)
    labels: dict[str, str] = {}
    rows = cells.values("category", "category_label", "office").annotate(
        n=Sum("lines"),
        n_high=Sum("lines", filter=Q(level__in=HIGH)),
        spend=Sum("spend_eur"),
        score=Sum("score_sum"),
    )
    for row in rows:
        if not row["n"]:
            continue
        labels.setdefault(row["category"], category_label(row["category"], row["category_label"]))
        cell = grid[row["category"]].setdefault(
            row["office"], HeatCell(office=None, category=row["category"])
        )
        cell.lines += row["n"]
        cell.high += row["n_high"] or 0
        cell.spend += row["spend"] or 0.0
        cell.score_sum += row["score"] or 0.0
    heat = []
    for category, by_office in grid.items():
        row_cells = []
        for office in offices:
            cell = by_office.get(office.pk, HeatCell(office=None, category=category))
            cell.office = office
            row_cells.append(cell)
        heat.append(HeatRow(category=category, label=labels[category], cells=row_cells))
    return sorted(heat, key=lambda row: (-row.total.score, -row.total.high, row.label))


def _matrix(cells) -> tuple[list[str], list[tuple[str, list[MatrixCell]]]]:
    """Lines by likelihood band (most likely first) × severity band (mildest first)."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in cells.values("likelihood_band", "severity").annotate(n=Sum("lines")):
        counts[(row["likelihood_band"], severity_key(row["severity"]))] += row["n"] or 0
    severities = SEVERITIES + sorted({s for _, s in counts} - set(SEVERITIES))
    peak = max(counts.values(), default=0)
    matrix = []
    for i, band in enumerate(BANDS):
        row = [
            MatrixCell(band, s, counts[(4 - i, s)], count_colour(counts[(4 - i, s)], peak))
            for s in severities
        ]
        matrix.append((band, row))
    return severities, matrix


def top_lines(offices, n: int = 10, scan: int = 5000) -> list[Line]:
    """The ``n`` high or critical lines (after decisions) first in the organisation's priority order,
    walking each office's rank index rather than sorting all its lines."""
    found: list[Line] = []
    for office in offices:
        ordered = (
            Line.objects.filter(office=office, current=True)
            .select_related("office")
            .order_by(F("effective_priority").desc(), F("risk_score").desc(), "pk")
        )
        mine = 0
        for line in ordered[:scan].iterator(chunk_size=50):
            if line.level in HIGH:
                found.append(line)
                mine += 1
                if mine == n:
                    break
    top = sorted(found, key=lambda line: (-line.effective_priority, -line.risk_score, line.pk))[:n]
    return Ranker().annotate(top)


def _change(office) -> dict | None:
    """Office totals after its latest screening against those after the one before."""
    latest = list(
        Screening.objects.filter(office=office, status=Screening.Status.DONE)
        .order_by("-finished", "-pk")
        .values("file_name", "finished", "summary")[:2]
    )
    if not latest:
        return None
    now = latest[0]["summary"] or {}
    before = latest[1]["summary"] if len(latest) > 1 else {}
    return {
        "office": office,
        "file": latest[0]["file_name"],
        "finished": latest[0]["finished"],
        "has_previous": len(latest) > 1,
        "lines": now.get("lines", 0),
        "lines_delta": now.get("lines", 0) - before.get("lines", 0),
        "high": now.get("high_or_critical", 0),
        "high_delta": now.get("high_or_critical", 0) - before.get("high_or_critical", 0),
        "spend_delta": now.get("spend_eur", 0.0) - before.get("spend_eur", 0.0),
    }
