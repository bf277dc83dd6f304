"""What the dashboard shows, computed from ``CellStat`` rows and a few indexed queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.register.models import Line
from fairprocure.web.screenings.models import Screening

HIGH = ("high", "critical")
SEVERITIES = ["child_labour", "forced_labour", "exploitation"]  # then "none known" as the data spells it
BANDS = ["80–100", "60–80", "40–60", "20–40", "0–20"]


@dataclass
class Dashboard:
    offices: list
    lines: int = 0
    high: int = 0
    spend: float = 0.0
    spend_known_origin: float = 0.0
    heat: list = field(default_factory=list)  # rows: (category label, [(office, high lines, shade)])
    matrix: list = field(default_factory=list)  # rows: (band label, [(severity, lines, shade)])
    severities: list = field(default_factory=list)
    top: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def known_pct(self) -> float:
        return 100 * self.spend_known_origin / self.spend if self.spend else 0.0


def _shade(value: int, peak: int) -> int:
    return 0 if not value or not peak else 1 + min(3, int(4 * value / (peak + 1)))


def build(offices) -> Dashboard:
    """The dashboard of ``offices`` (a queryset the user may see)."""
    offices = list(offices)
    board = Dashboard(offices=offices)
    heat: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    matrix: dict[tuple[int, str], int] = defaultdict(int)
    for cell in CellStat.objects.filter(office__in=offices):
        board.lines += cell.lines
        board.spend += cell.spend_eur
        board.spend_known_origin += cell.spend_known_origin_eur
        labels[cell.category] = cell.category_label or cell.category or "—"
        heat[cell.category][cell.office_id] += cell.lines if cell.level in HIGH else 0
        matrix[(cell.likelihood_band, cell.severity)] += cell.lines
        if cell.level in HIGH:
            board.high += cell.lines
    peak = max((n for row in heat.values() for n in row.values()), default=0)
    ranked = sorted(heat, key=lambda c: (-sum(heat[c].values()), labels[c]))
    board.heat = [
        (labels[c], [(o, heat[c][o.pk], _shade(heat[c][o.pk], peak)) for o in offices]) for c in ranked
    ]
    board.severities = SEVERITIES + sorted({s for _, s in matrix} - set(SEVERITIES))
    peak = max(matrix.values(), default=0)
    board.matrix = [
        (label, [(s, matrix[(4 - i, s)], _shade(matrix[(4 - i, s)], peak)) for s in board.severities])
        for i, label in enumerate(BANDS)
    ]
    board.top = list(
        Line.objects.filter(office__in=offices, risk_level__in=HIGH)
        .select_related("office")
        .order_by("-priority")[:10]
    )
    board.changes = [change for o in offices if (change := _change(o))]
    return board


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
