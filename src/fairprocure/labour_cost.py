"""The lawful cost of labour: can a price pay lawful wages, contributions and the costs of the work?

One calculation serves the tender (an abnormally low bid for a labour-intensive service) and contract
monitoring (a price that cannot pay lawful wages during the contract)::

    lawful cost = Σ roles  headcount × (hours + overtime hours × (1 + overtime premium)) × months
                           × hourly wage floor × (1 + employer contributions)
                + equipment + insurance + training + other costs of the work

A price below the lawful cost is flagged: it cannot pay the legal minimum (or the collective
agreement) with the contributions owed, whatever the supplier's margin. Wage floors are data the
organisation loads (``load_wage_floors``), each with its source and the date it applies from; the
module holds no figures of its own. Money is ``Decimal`` and results are rounded to the cent only when
shown. Worked figures: ``docs/methodology.md`` ("Lawful labour cost").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from fairprocure.reference.countries import to_iso3

PERIODS = ("hour", "day", "week", "month")
KINDS = ("legal_minimum", "collective_agreement")
ALL_SECTORS = "all"
CSV_COLUMNS = (
    "country",
    "sector",
    "amount",
    "currency",
    "period",
    "normal_hours",
    "valid_from",
    "kind",
    "source",
)
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """``value`` rounded half up to the cent (for display and comparison in reports)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: object, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what}: {value!r} is not a number")
    return number


@dataclass(frozen=True)
class WageFloor:
    """The lowest lawful pay for a sector in a country from a date: a legal minimum or an agreed rate."""

    country: str  # ISO 3166-1 alpha-3
    sector: str  # a taxonomy category id (e.g. "cleaning") or "all"
    amount: Decimal  # per ``period``
    currency: str
    period: str  # hour | day | week | month
    normal_hours: Decimal  # hours the amount pays for (1 for an hourly floor)
    valid_from: dt.date
    kind: str  # legal_minimum | collective_agreement
    source: str

    @property
    def hourly(self) -> Decimal:
        """The floor per hour: the amount over the normal hours of its period."""
        return self.amount / self.normal_hours

    def describe(self) -> str:
        kind = "legal minimum" if self.kind == "legal_minimum" else "collective agreement"
        per = f"{self.amount} {self.currency} per {self.period}"
        if self.period != "hour":
            per += f" for {self.normal_hours} hours"
        return f"{kind}, {self.country} {self.sector}: {per} from {self.valid_from} ({self.source})"


def load_wage_floors(path: str | Path) -> list[WageFloor]:
    """Read a wage-floor CSV (columns ``CSV_COLUMNS``); errors name the file, row and column."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        return parse_wage_floors(csv.DictReader(f), path.name)


def parse_wage_floors(rows: Iterable[Mapping[str, str]], name: str = "wage floors") -> list[WageFloor]:
    """Wage floors from CSV rows (dicts keyed by column); see :func:`load_wage_floors`."""
    floors: list[WageFloor] = []
    for n, raw in enumerate(rows, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        missing = [c for c in CSV_COLUMNS if c not in row]
        if missing:
            raise ValueError(
                f"{name}: wage floors need the columns {', '.join(CSV_COLUMNS)}; missing {missing}"
            )

        def where(column: str, _n: int = n) -> str:
            return f"{name}, row {_n}, column {column!r}"

        country = to_iso3(row["country"])
        if country is None:
            raise ValueError(f"{where('country')}: {row['country']!r} is not a known country")
        sector = row["sector"].lower() or ALL_SECTORS
        amount = _decimal(row["amount"], where("amount"))
        if amount <= 0:
            raise ValueError(f"{where('amount')}: a wage floor must be above zero")
        currency = row["currency"].upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"{where('currency')}: {row['currency']!r} is not an ISO 4217 code such as TJS")
        period = row["period"].lower()
        if period not in PERIODS:
            raise ValueError(f"{where('period')}: {row['period']!r} is not one of {', '.join(PERIODS)}")
        if period == "hour":
            hours = Decimal(1)
        else:
            if not row["normal_hours"]:
                raise ValueError(
                    f"{where('normal_hours')}: say how many hours the {period}ly amount pays for"
                )
            hours = _decimal(row["normal_hours"], where("normal_hours"))
            if hours <= 0:
                raise ValueError(f"{where('normal_hours')}: must be above zero")
        try:
            valid_from = dt.date.fromisoformat(row["valid_from"])
        except ValueError:
            raise ValueError(
                f"{where('valid_from')}: {row['valid_from']!r} is not a date (YYYY-MM-DD)"
            ) from None
        kind = row["kind"].lower() or "legal_minimum"
        if kind not in KINDS:
            raise ValueError(f"{where('kind')}: {row['kind']!r} is not one of {', '.join(KINDS)}")
        if not row["source"]:
            raise ValueError(f"{where('source')}: say where the figure comes from (law, decree, agreement)")
        floors.append(
            WageFloor(country, sector, amount, currency, period, hours, valid_from, kind, row["source"])
        )
    return floors


def floor_for(
    floors: Sequence[WageFloor], country: str, sector: str, on: dt.date, currency: str | None = None
) -> WageFloor | None:
    """The binding floor on ``on``: of the latest country-wide floor and the latest floors for the
    sector (legal minimum and collective agreement each), the highest hourly rate, since no one may be
    paid below any of them. None when nothing applies: then the user must load one."""
    iso3 = to_iso3(country) or country
    candidates = [
        f
        for f in floors
        if f.country == iso3
        and f.sector in (sector, ALL_SECTORS)
        and f.valid_from <= on
        and (currency is None or f.currency == currency.upper())
    ]
    if not candidates:
        return None
    latest: dict[tuple[str, str], WageFloor] = {}
    for f in candidates:  # the latest floor of each scope and kind
        known = latest.get((f.sector, f.kind))
        if known is None or (f.valid_from, f.hourly) > (known.valid_from, known.hourly):
            latest[(f.sector, f.kind)] = f
    return max(latest.values(), key=lambda f: (f.hourly, f.sector != ALL_SECTORS))


@dataclass(frozen=True)
class Role:
    """People doing one kind of work on the contract, all paid at least ``hourly_wage``."""

    name: str
    headcount: Decimal
    hours_per_month: Decimal  # normal hours per person per month
    hourly_wage: Decimal  # the wage floor per hour (or the agreed rate, when higher)
    overtime_hours_per_month: Decimal = Decimal(0)
    overtime_premium: Decimal = Decimal(0)  # 0.5 = overtime paid at 150%

    def __post_init__(self) -> None:
        for name in (
            "headcount",
            "hours_per_month",
            "hourly_wage",
            "overtime_hours_per_month",
            "overtime_premium",
        ):
            value = getattr(self, name)
            if not isinstance(value, Decimal):
                object.__setattr__(self, name, _decimal(value, f"role {self.name!r}, {name}"))
            if getattr(self, name) < 0:
                raise ValueError(f"role {self.name!r}, {name}: cannot be negative")
        if self.headcount <= 0 or self.hours_per_month <= 0 or self.hourly_wage <= 0:
            raise ValueError(f"role {self.name!r}: headcount, hours and wage must be above zero")

    def paid_hours_per_month(self) -> Decimal:
        """Hours paid per person per month, overtime weighted by its premium."""
        return self.hours_per_month + self.overtime_hours_per_month * (1 + self.overtime_premium)


@dataclass(frozen=True)
class RoleCost:
    role: Role
    wages: Decimal  # over the contract period
    contributions: Decimal


@dataclass(frozen=True)
class LabourCost:
    """The lawful cost of a contract's labour, every term kept so it can be shown and checked."""

    months: Decimal
    contribution_rate: Decimal
    roles: tuple[RoleCost, ...]
    other_costs: tuple[tuple[str, Decimal], ...]  # equipment, insurance, training, ...
    currency: str

    @property
    def wages(self) -> Decimal:
        return sum((r.wages for r in self.roles), Decimal(0))

    @property
    def contributions(self) -> Decimal:
        return sum((r.contributions for r in self.roles), Decimal(0))

    @property
    def other(self) -> Decimal:
        return sum((v for _, v in self.other_costs), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.wages + self.contributions + self.other

    def lines(self) -> list[tuple[str, Decimal]]:
        """The calculation as (what, amount) lines, for pages, documents and the audit log."""
        out = []
        for r in self.roles:
            role = r.role
            hours = f"{role.hours_per_month} h"
            if role.overtime_hours_per_month:
                hours += f" + {role.overtime_hours_per_month} h overtime × {1 + role.overtime_premium}"
            out.append(
                (
                    f"{role.name}: {role.headcount} × ({hours}) × {self.months} months × {role.hourly_wage}/h",
                    money(r.wages),
                )
            )
        out.append(
            (f"employer contributions {self.contribution_rate * 100:g}% of wages", money(self.contributions))
        )
        out.extend((name, money(value)) for name, value in self.other_costs)
        out.append(("lawful cost", money(self.total)))
        return out


def roles_at_floor(specs: Iterable[Mapping[str, object]], floor: WageFloor) -> list[Role]:
    """Roles from plain specs (``{name, headcount, hours_per_month, overtime_hours_per_month?,
    overtime_premium?, hourly_wage?}``), each paid the binding floor, or the rate given when higher.

    The tender's abnormally-low-bid check and contract monitoring's cost-structure check both build
    their roles here, so the two can never differ on what lawful pay is.
    """
    built = []
    for spec in specs:
        given = spec.get("hourly_wage") or 0
        wage = max(floor.hourly, _decimal(given, f"role {spec.get('name') or 'worker'!r}, hourly_wage"))
        built.append(
            Role(
                str(spec.get("name") or "worker"),
                spec["headcount"],
                spec["hours_per_month"],
                wage,
                spec.get("overtime_hours_per_month") or 0,
                spec.get("overtime_premium") or 0,
            )
        )
    return built


def lawful_cost(
    roles: Sequence[Role],
    *,
    months: Decimal | float | str,
    contribution_rate: Decimal | float | str,
    other_costs: Mapping[str, Decimal | float | str] | None = None,
    currency: str = "",
) -> LabourCost:
    """The least a supplier must spend to do the work lawfully over ``months``.

    ``contribution_rate`` is the employer's social contributions as a share of wages (0.25 = 25%);
    ``other_costs`` are the costs of the work over the whole period (equipment, protective gear,
    uniforms, liability insurance, training, supervision).
    """
    if not roles:
        raise ValueError("roles: give at least one kind of work with its headcount, hours and wage")
    months_d = _decimal(months, "months")
    rate = _decimal(contribution_rate, "employer contributions")
    if months_d <= 0:
        raise ValueError("months: the contract period must be above zero")
    if rate < 0 or rate > 2:
        raise ValueError("employer contributions: give a share of wages between 0 and 2 (0.25 = 25%)")
    costed = []
    for role in roles:
        wages = role.headcount * role.paid_hours_per_month() * months_d * role.hourly_wage
        costed.append(RoleCost(role, wages, wages * rate))
    extra = []
    for name, value in (other_costs or {}).items():
        amount = _decimal(value, f"other cost {name!r}")
        if amount < 0:
            raise ValueError(f"other cost {name!r}: cannot be negative")
        extra.append((name, amount))
    return LabourCost(months_d, rate, tuple(costed), tuple(extra), currency.upper())


@dataclass(frozen=True)
class PriceCheck:
    """A price against the lawful cost of its labour."""

    price: Decimal
    cost: LabourCost
    below: bool  # the price cannot pay the lawful cost: flag it
    gap: Decimal  # price − lawful cost (negative when below)
    ratio: Decimal  # price / lawful cost

    def explain(self) -> str:
        cur = f" {self.cost.currency}" if self.cost.currency else ""
        if self.below:
            return (
                f"The price {money(self.price)}{cur} is {money(-self.gap)}{cur} below the lawful cost of its labour "
                f"({money(self.cost.total)}{cur}): it cannot pay lawful wages and contributions. "
                "Ask the bidder to explain the price (abnormally low tender) before any award."
            )
        return (
            f"The price {money(self.price)}{cur} covers the lawful cost of its labour "
            f"({money(self.cost.total)}{cur}) with {money(self.gap)}{cur} to spare "
            f"({(self.ratio - 1) * 100:.1f}% above)."
        )


def check_price(price: Decimal | float | str, cost: LabourCost) -> PriceCheck:
    """Flag ``price`` when it is below the lawful cost (compared to the cent)."""
    amount = _decimal(price, "price")
    if amount < 0:
        raise ValueError("price: cannot be negative")
    total = cost.total
    below = money(amount) < money(total)
    ratio = amount / total if total else Decimal(0)
    return PriceCheck(amount, cost, below, amount - total, ratio)
