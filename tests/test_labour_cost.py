"""The lawful labour cost and the price check, on the worked figures of docs/methodology.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fairprocure.labour_cost import (
    Role,
    check_price,
    floor_for,
    lawful_cost,
    load_wage_floors,
    money,
    parse_wage_floors,
)

FLOORS = """country,sector,amount,currency,period,normal_hours,valid_from,kind,source
TJK,all,1000,TJS,month,160,2024-01-01,legal_minimum,Illustrative legal minimum (test data)
TJK,all,1300,TJS,month,160,2026-09-01,legal_minimum,Illustrative legal minimum (test data)
Tajikistan,cleaning,9,TJS,hour,,2025-01-01,collective_agreement,Illustrative cleaning agreement (test data)
"""


@pytest.fixture
def floors(tmp_path):
    path = tmp_path / "floors.csv"
    path.write_text(FLOORS, encoding="utf-8")
    return load_wage_floors(path)


def cleaning_cost(wage: Decimal) -> object:
    """Six cleaners and a supervisor, 12 months, 25% contributions, the worked example's other costs."""
    return lawful_cost(
        [
            Role("cleaner", 6, 160, wage),
            Role(
                "supervisor",
                1,
                160,
                wage * Decimal("1.2"),
                overtime_hours_per_month=10,
                overtime_premium="0.5",
            ),
        ],
        months=12,
        contribution_rate="0.25",
        other_costs={"equipment and materials": 6000, "liability insurance": 1500, "training": 800},
        currency="TJS",
    )


def test_the_worked_example_adds_up_term_by_term():
    cost = cleaning_cost(Decimal("9.00"))
    # cleaners: 6 × 160 h × 12 × 9.00 = 103,680; supervisor: (160 + 10 × 1.5) h × 12 × 10.80 = 22,680
    assert money(cost.roles[0].wages) == Decimal("103680.00")
    assert money(cost.roles[1].wages) == Decimal("22680.00")
    assert money(cost.contributions) == Decimal("31590.00")  # 25% of 126,360
    assert money(cost.other) == Decimal("8300.00")
    assert money(cost.total) == Decimal("166250.00")
    assert cost.lines()[-1] == ("lawful cost", Decimal("166250.00"))


def test_a_bid_below_the_lawful_cost_is_flagged_and_one_above_passes():
    cost = cleaning_cost(Decimal("9.00"))
    low = check_price("150000", cost)
    assert low.below and money(low.gap) == Decimal("-16250.00")
    assert "below the lawful cost" in low.explain()
    high = check_price(Decimal("180000"), cost)
    assert not high.below and money(high.gap) == Decimal("13750.00")
    assert "8.3% above" in high.explain()
    assert not check_price("166250.00", cost).below  # exactly the lawful cost is lawful


def test_the_binding_floor_is_the_highest_in_force_on_the_day(floors):
    # Before September 2026 the cleaning agreement (9.00/h) is above the legal minimum (1000/160 = 6.25/h).
    on = floor_for(floors, "TJK", "cleaning", dt.date(2026, 3, 1))
    assert on.kind == "collective_agreement" and on.hourly == Decimal(9)
    # From September 2026 the legal minimum (1300/160 = 8.125/h) is still below the agreement.
    assert floor_for(floors, "TJ", "cleaning", dt.date(2026, 10, 1)).hourly == Decimal(9)
    # Security has no agreement: the country-wide legal minimum in force applies.
    assert floor_for(floors, "TJK", "security", dt.date(2026, 10, 1)).hourly == Decimal("8.125")
    assert floor_for(floors, "TJK", "security", dt.date(2025, 1, 1)).hourly == Decimal("6.25")
    assert floor_for(floors, "TJK", "security", dt.date(2023, 1, 1)) is None  # nothing yet: load one
    assert floor_for(floors, "ARM", "cleaning", dt.date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"country": "Atlantis"}, "row 2, column 'country': 'Atlantis' is not a known country"),
        ({"amount": "1.000,00"}, "row 2, column 'amount'"),
        ({"amount": "0"}, "must be above zero"),
        ({"period": "fortnight"}, "column 'period': 'fortnight' is not one of hour, day, week, month"),
        ({"normal_hours": ""}, "say how many hours the monthly amount pays for"),
        ({"valid_from": "01/09/2026"}, "is not a date (YYYY-MM-DD)"),
        ({"kind": "living_wage"}, "is not one of legal_minimum, collective_agreement"),
        ({"source": ""}, "say where the figure comes from"),
        ({"currency": "somoni"}, "is not an ISO 4217 code"),
    ],
)
def test_bad_wage_floor_rows_are_named_by_file_row_and_column(row, message):
    good = {
        "country": "TJK",
        "sector": "all",
        "amount": "1000",
        "currency": "TJS",
        "period": "month",
        "normal_hours": "160",
        "valid_from": "2026-01-01",
        "kind": "legal_minimum",
        "source": "decree",
    }
    with pytest.raises(ValueError, match=r"floors\.csv") as error:
        parse_wage_floors([good | row], "floors.csv")
    assert message in str(error.value)


def test_missing_columns_are_listed():
    with pytest.raises(ValueError, match=r"missing \['source'\]"):
        parse_wage_floors([{"country": "TJK", "sector": "", "amount": "1", "currency": "TJS", "period": "hour",
                            "normal_hours": "", "valid_from": "2026-01-01", "kind": ""}], "f.csv")  # fmt: skip


def test_impossible_inputs_are_refused():
    with pytest.raises(ValueError, match="at least one kind of work"):
        lawful_cost([], months=12, contribution_rate=0.2)
    with pytest.raises(ValueError, match="headcount, hours and wage must be above zero"):
        Role("cleaner", 0, 160, 9)
    with pytest.raises(ValueError, match="between 0 and 2"):
        lawful_cost([Role("cleaner", 1, 160, 9)], months=12, contribution_rate=25)
    with pytest.raises(ValueError, match="other cost 'training': cannot be negative"):
        lawful_cost([Role("cleaner", 1, 160, 9)], months=1, contribution_rate=0, other_costs={"training": -1})
