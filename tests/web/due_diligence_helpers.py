"""Building blocks for the due-diligence tests: a contract in force for a service, wage floors."""

from __future__ import annotations

import csv
import io

from fairprocure.web.contracts.models import Contract

FLOORS = (
    "country,sector,amount,currency,period,normal_hours,valid_from,kind,source\n"
    "TJK,all,1000,TJS,month,160,2024-01-01,legal_minimum,Illustrative figure for the tests (load your own)\n"
)


def contract(
    office, key: str, category: str, supplier: str, level: str = "high", high_risk: bool | None = True
):
    return Contract.objects.create(
        office=office,
        key=f"id:{key}",
        contract_id=key,
        status="in_force",
        high_risk=high_risk,
        top_level=level,
        top_score=70.0,
        line_count=1,
        value_eur=100000.0,
        suppliers=[{"name": supplier, "value_eur": 100000.0}],
        categories=[{"category": category, "label": category, "value_eur": 100000.0}],
    )


def load_floors() -> None:
    from fairprocure.web.tenders.services import load_wage_floors

    load_wage_floors(csv.DictReader(io.StringIO(FLOORS)), "floors.csv", "test")
