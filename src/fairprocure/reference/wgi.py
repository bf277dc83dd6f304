"""World Bank Worldwide Governance Indicators (2020 update).

The shipped file keeps, for each country and indicator, the latest year with an estimate. The
governance score of a country is the mean percentile rank (0 = weakest, 100 = strongest) of the six
indicators, as amfori BSCI rates country risk from the same six indicators.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from fairprocure.reference import data_path
from fairprocure.reference.countries import code_or_name

SOURCE = "World Bank, Worldwide Governance Indicators, 2020 update (Kaufmann & Kraay)"
INDICATORS = {
    "VA": "Voice and Accountability",
    "PV": "Political Stability",
    "GE": "Government Effectiveness",
    "RQ": "Regulatory Quality",
    "RL": "Rule of Law",
    "CC": "Control of Corruption",
}


@dataclass(frozen=True)
class Governance:
    country: str
    percentile: float  # mean percentile rank of the available indicators, 0-100
    year: int
    indicators: int  # how many of the six were available


@cache
def governance_by_country() -> dict[str, Governance]:
    ranks: dict[str, list[tuple[float, int]]] = defaultdict(list)
    with data_path("wgi/wgi_2020_latest.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["pctrank"]:
                continue
            iso3 = code_or_name(row["code"], row["country"])
            if iso3:
                ranks[iso3].append((float(row["pctrank"]), int(row["year"])))
    return {
        iso3: Governance(iso3, sum(r for r, _ in v) / len(v), max(y for _, y in v), len(v))
        for iso3, v in ranks.items()
    }
