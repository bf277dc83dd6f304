"""US State Department Trafficking in Persons (TIP) Report tier placements.

The shipped series (Kelley & Heiss coding) ends with the 2015 report; the latest placement per
country is used and its year is shown in every factor that cites it. Users load newer tiers from a
CSV with columns ``country, year, tier`` (``Tier 1``, ``Tier 2``, ``Tier 2 Watch List``, ``Tier 3``;
``1``, ``2``, ``2WL``, ``3`` are accepted too).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fairprocure.reference import data_path
from fairprocure.reference.countries import code_or_name, to_iso3

SOURCE = "US Department of State, Trafficking in Persons Report (coded by Kelley & Heiss, 2001-2015)"
TIERS = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")
_ALIASES = {
    "1": "Tier 1",
    "2": "Tier 2",
    "2wl": "Tier 2 Watch List",
    "2 wl": "Tier 2 Watch List",
    "3": "Tier 3",
    "tier 2 watchlist": "Tier 2 Watch List",
    "watch list": "Tier 2 Watch List",
}


@dataclass(frozen=True)
class Tier:
    country: str
    tier: str
    year: int
    source: str


def parse_tier(text: str) -> str | None:
    t = " ".join(text.strip().split())
    for tier in TIERS:
        if t.lower() == tier.lower():
            return tier
    return _ALIASES.get(t.lower().removeprefix("tier ").strip()) or _ALIASES.get(t.lower())


@cache
def shipped_tiers() -> dict[str, Tier]:
    """ISO alpha-3 -> the latest tier placement in the shipped series."""
    latest: dict[str, Tier] = {}
    with data_path("tip/tip_tier_placements_2001_2015.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iso3 = code_or_name(row["iso3"], row["country"])
            tier = parse_tier(row["tier_label"])
            if iso3 is None or tier is None:
                continue
            year = int(row["report_year"])
            if iso3 not in latest or year > latest[iso3].year:
                latest[iso3] = Tier(iso3, tier, year, SOURCE)
    return latest


def load_tier_file(path: str | Path) -> dict[str, Tier]:
    """Read a user CSV of tier placements (``country, year, tier``); errors name the row and field."""
    path = Path(path)
    out: dict[str, Tier] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"country", "year", "tier"} - {c.strip().lower() for c in reader.fieldnames or ()}
        if missing:
            raise ValueError(
                f"{path}: TIP tier file needs columns country, year, tier; missing {sorted(missing)}"
            )
        for n, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "") for k, v in raw.items() if k}
            iso3 = to_iso3(row["country"])
            if iso3 is None:
                raise ValueError(
                    f"{path}, row {n}, column 'country': {row['country']!r} is not a known country"
                )
            tier = parse_tier(row["tier"])
            if tier is None:
                raise ValueError(
                    f"{path}, row {n}, column 'tier': {row['tier']!r} is not one of {', '.join(TIERS)}"
                )
            try:
                year = int(row["year"])
            except ValueError:
                raise ValueError(f"{path}, row {n}, column 'year': {row['year']!r} is not a year") from None
            if iso3 not in out or year > out[iso3].year:
                out[iso3] = Tier(iso3, tier, year, f"{SOURCE.split(' (')[0]}, as loaded from {path.name}")
    return out


def tiers(extra: str | Path | None = None) -> dict[str, Tier]:
    """Shipped tiers, overridden per country by newer placements from ``extra``."""
    merged = dict(shipped_tiers())
    if extra is not None:
        for iso3, tier in load_tier_file(extra).items():
            if iso3 not in merged or tier.year >= merged[iso3].year:
                merged[iso3] = tier
    return merged


def shipped_tiers_last_year() -> int:
    """Report year of the newest placement in the shipped series."""
    return max(t.year for t in shipped_tiers().values())
