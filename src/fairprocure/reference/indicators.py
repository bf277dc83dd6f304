"""User-supplied country indicators (for example the Global Slavery Index, which fairprocure does not
ship because its licence does not allow redistribution).

Format: a CSV with a ``country`` column (any spelling or ISO code) and a ``score`` column from 0 (lowest
risk) to 100 (highest risk); an optional ``year``. The file name (without extension) names the
indicator unless ``name`` is given. Each indicator adds a ``country_indicator`` factor worth
``policy.indicators.weight × score / 100`` points.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from fairprocure.reference.countries import to_iso3


@dataclass(frozen=True)
class Indicator:
    name: str
    source: str
    scores: dict[str, tuple[float, str]]  # ISO alpha-3 -> (score 0-100, year or "")


def load_indicator(path: str | Path, name: str | None = None) -> Indicator:
    path = Path(path)
    scores: dict[str, tuple[float, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        cols = {c.strip().lower(): c for c in reader.fieldnames or ()}
        if "country" not in cols or "score" not in cols:
            raise ValueError(
                f"{path}: an indicator file needs the columns 'country' and 'score' (found {sorted(cols)})"
            )
        for n, row in enumerate(reader, start=2):
            raw_country, raw_score = row[cols["country"]], row[cols["score"]]
            iso3 = to_iso3(raw_country)
            if iso3 is None:
                raise ValueError(f"{path}, row {n}, column 'country': {raw_country!r} is not a known country")
            try:
                score = float(raw_score)
            except (TypeError, ValueError):
                raise ValueError(f"{path}, row {n}, column 'score': {raw_score!r} is not a number") from None
            if not 0 <= score <= 100:
                raise ValueError(f"{path}, row {n}, column 'score': {score} is outside 0-100")
            scores[iso3] = (score, row.get(cols.get("year", ""), "") or "")
    return Indicator(
        name=name or path.stem, source=f"user-supplied indicator file {path.name}", scores=scores
    )
