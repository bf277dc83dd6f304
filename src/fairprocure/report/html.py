"""report.html: a self-contained page a procurement officer can read, charts included (inline SVG)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from fairprocure import __version__
from fairprocure.portfolio import LEVELS, SEVERITIES
from fairprocure.reference import datasets
from fairprocure.screening import Screening

LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b85c00", "high": "#c0392b", "critical": "#7f0000"}


def _heat_colour(score: float | None) -> str:
    """Background for a mean score 0-100: pale yellow to dark red, text stays readable (see template)."""
    if score is None:
        return "#f4f4f4"
    s = max(0.0, min(1.0, score / 80))
    r, g, b = 255, int(245 - 190 * s), int(220 - 200 * s)
    return f"rgb({r},{g},{b})"


def _money(value: float | None) -> str:
    if value is None:
        return "–"
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"€{value / size:,.1f}{unit}"
    return f"€{value:,.0f}"


def _heatmap(screening: Screening, max_offices: int = 30) -> dict[str, Any]:
    """Offices with the most high-risk spend first (as ranked in by_office); categories likewise."""
    cells = screening.portfolio.rows("heatmap")
    offices = [o["office"] or "(no office)" for o in screening.portfolio.rows("by_office")]
    cats = [(c["category"], c["category_label"]) for c in screening.portfolio.rows("by_category")]
    grid = {((c["office"] or "(no office)"), c["category"]): c for c in cells}
    return {
        "offices": offices[:max_offices],
        "more_offices": max(0, len(offices) - max_offices),
        "categories": cats,
        "grid": grid,
    }


def _matrix(screening: Screening) -> dict[tuple[str, str], dict]:
    return {(r["likelihood"], r["severity"]): r for r in screening.portfolio.rows("matrix")}


def _levels(screening: Screening) -> list[dict]:
    by = {r["risk_level"]: r for r in screening.portfolio.rows("by_level")}
    total = sum((r["spend_eur"] or 0) for r in by.values()) or 1.0
    out = []
    for level in LEVELS:
        r = by.get(level, {"lines": 0, "spend_eur": 0.0})
        out.append(
            {
                "level": level,
                "lines": r["lines"],
                "spend": r["spend_eur"] or 0.0,
                "share": (r["spend_eur"] or 0.0) / total,
                "colour": LEVEL_COLOURS[level],
            }
        )
    return out


def _ledgers(quality: dict[str, Any]) -> list[tuple[str, dict]]:
    """(file, how it was read) for every ledger table: header row, formats, each column's field."""
    out = []
    for file, stats in quality["files"].items():
        for read in [stats["layout"]] if "layout" in stats else stats.get("sheets", []):
            out.append((file, read))
    return out


def _row_reasons(screening: Screening) -> dict[str, int]:
    """Why records (not whole files) were quarantined, most common first."""
    from fairprocure.screening import _reason

    counts = Counter(
        _reason(p) for p in screening.problems if p.action == "quarantined" and p.record != "whole file"
    )
    return dict(counts.most_common())


def render_html(screening: Screening, quality: dict[str, Any]) -> str:
    env = Environment(loader=PackageLoader("fairprocure.report", "templates"), autoescape=select_autoescape())
    env.filters["money"] = _money
    env.filters["heat"] = _heat_colour
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * v:.0f}%"
    top_lines = screening.portfolio.rows("top_lines")
    for line in top_lines:
        line["factor_list"] = json.loads(line["factors"])
    totals = {k: (0 if v is None else v) for k, v in screening.portfolio.totals.items()}  # sums of no rows
    categories = screening.portfolio.rows("by_category")
    max_cat = max((c["spend_eur"] or 0 for c in categories), default=0) or 1.0
    return env.get_template("report.html").render(
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        totals=totals,
        nothing_screened=totals["lines"] == 0,
        file_errors=[(f, s["error"]) for f, s in quality["files"].items() if s.get("error")],
        row_reasons=_row_reasons(screening),
        ledgers=_ledgers(quality),
        quality=quality,
        levels=_levels(screening),
        level_colours=LEVEL_COLOURS,
        heatmap=_heatmap(screening),
        matrix=_matrix(screening),
        likelihoods=list(reversed(LEVELS)),
        severities=SEVERITIES,
        offices=screening.portfolio.rows("by_office"),
        categories=categories,
        max_cat=max_cat,
        contracts=screening.portfolio.rows("top_contracts"),
        top_lines=top_lines,
        datasets=datasets(),
        policy=screening.context.policy,
    )
