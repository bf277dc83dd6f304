"""US DOL ILAB: the List of Goods Produced by Child Labor or Forced Labor, and country findings.

The List is published per good and country. fairprocure maps each good to a taxonomy category and
to the CPV code prefixes that name it (``data/ilab/goods_to_taxonomy.csv``, authored for fairprocure),
so that a line whose CPV code or category matches a listed good produced in a listed country can be
flagged with the listing itself as evidence.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from fairprocure.reference import data_path
from fairprocure.reference.countries import to_iso3

SOURCE_LIST = "US DOL ILAB, List of Goods Produced by Child Labor or Forced Labor, 2022"
SOURCE_FINDINGS = "US DOL ILAB, Findings on the Worst Forms of Child Labor, 2022"


@dataclass(frozen=True)
class Listing:
    """One good listed for one country."""

    good: str
    country: str  # ISO alpha-3
    country_name: str  # as ILAB spells it
    category: str
    cpv_prefixes: tuple[str, ...]
    child_labour: bool
    forced_labour: bool
    forced_child_labour: bool
    derived: bool  # listed because made with an exploited input
    derived_country: str | None  # where that input comes from (ILAB's spelling)


def _yes(value: str) -> bool:
    return value.strip().lower() == "yes"


@cache
def goods_taxonomy() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Good name -> (category, CPV prefixes)."""
    with data_path("ilab/goods_to_taxonomy.csv").open(encoding="utf-8") as f:
        return {
            row["good"]: (row["category"], tuple(row["cpv_prefixes"].split())) for row in csv.DictReader(f)
        }


@cache
def listings_by_country() -> dict[str, tuple[Listing, ...]]:
    """ISO alpha-3 -> the goods listed for that country."""
    mapping = goods_taxonomy()
    out: dict[str, list[Listing]] = defaultdict(list)
    with data_path("ilab/tvpra_list_2022_goods_by_country.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            good = unicodedata.normalize("NFC", row["good"])
            iso3 = to_iso3(row["country"])
            if iso3 is None:  # pragma: no cover - guarded by tests/test_reference.py
                raise ValueError(f"ilab goods list: country {row['country']!r} does not resolve to ISO 3166")
            category, prefixes = mapping[good]
            derived_country = row["derived_country"] if row["derived_country"] not in ("", "No") else None
            out[iso3].append(
                Listing(
                    good=good,
                    country=iso3,
                    country_name=row["country"],
                    category=category,
                    cpv_prefixes=prefixes,
                    child_labour=_yes(row["child_labor"]),
                    forced_labour=_yes(row["forced_labor"]),
                    forced_child_labour=_yes(row["forced_child_labor"]),
                    derived=_yes(row["derived_labor_exploitation"]),
                    derived_country=derived_country,
                )
            )
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Findings:
    country: str
    advancement_level: str
    children_working_pct: float | None
    webpage: str


@cache
def findings_by_country() -> dict[str, Findings]:
    """ISO alpha-3 -> ILAB's assessment of the country's efforts against child labour."""
    out: dict[str, Findings] = {}
    with data_path("ilab/ilab_findings_2022_country_indicators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iso3 = to_iso3(row["country"])
            if iso3 is None or not row["advancement_level"].strip():
                continue
            try:
                pct = float(row["children_working_pct"])
            except ValueError:
                pct = None
            out[iso3] = Findings(iso3, row["advancement_level"].strip(), pct, row["webpage"])
    return out
