"""What the dashboard shows, computed from ``CellStat`` rows and a few indexed queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

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

    heat: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    for row in cells.values("category", "category_label", "office").annotate(n=Sum("lines", filter=high)):
        labels[row["category"]] = row["category_label"] or row["category"] or "—"
        heat[row["category"]][row["office"]] += row["n"] or 0
    peak = max((n for row in heat.values() for n in row.values()), default=0)
    ranked = sorted(heat, key=lambda c: (-sum(heat[c].values()), labels[c]))
    board.heat = [
        (labels[c], [(o, heat[c][o.pk], _shade(heat[c][o.pk], peak)) for o in offices]) for c in ranked
    ]

    matrix: dict[tuple[int, str], int] = defaultdict(int)
    for row in cells.values("likelihood_band", "severity").annotate(n=Sum("lines")):
        matrix[(row["likelihood_band"], row["severity"])] += row["n"]
    board.severities = SEVERITIES + sorted({s for _, s in matrix} - set(SEVERITIES))
    peak = max(matrix.values(), default=0)
    board.matrix = [
        (label, [(s, matrix[(4 - i, s)], _shade(matrix[(4 - i, s)], peak)) for s in board.severities])
        for i, label in enumerate(BANDS)
    ]
    board.top = top_lines(offices)
    board.changes = [change for o in offices if (change := _change(o))]
    return board


def top_lines(offices, n: int = 10, scan: int = 5000) -> list[Line]:
    """The ``n`` high or critical lines (after decisions) of highest priority, walking each office's
    priority index rather than sorting all its lines."""
    found: list[Line] = []
    for office in offices:
        ordered = Line.objects.filter(office=office).select_related("office").order_by("-priority")
        mine = 0
        for line in ordered[:scan].iterator(chunk_size=50):
            if line.level in HIGH:
                found.append(line)
                mine += 1
                if mine == n:
                    break
    return sorted(found, key=lambda line: -line.priority)[:n]


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
