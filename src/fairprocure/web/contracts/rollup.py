"""How register lines roll up into contracts: plain rules on plain values, tested without a server.

A line with a contract id (contract, award or purchase order number) belongs to the contract of that id
in its office. A line without one belongs to a *grouped* contract: the office's lines of the same
supplier (normalised name) in the same period (calendar year of the line's date, or "undated"). The key
depends only on those values, so a re-screening of the same data finds the same contracts, whatever
happens to the line rows themselves.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

LEVELS = ["low", "medium", "high", "critical"]
HIGH = ("high", "critical")
UNDATED = "undated"
ID_PREFIX, GROUP_PREFIX = "id:", "group:"

# Legal forms dropped from supplier names before grouping (their spelling varies from line to line).
LEGAL_FORMS = {
    "ltd", "limited", "llc", "llp", "plc", "inc", "incorporated", "corp", "corporation", "co", "company",
    "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "oy", "sl", "pte",
    "ooo", "oao", "zao", "pao", "ao", "ip", "tov", "too", "chp", "mchj", "jsc", "ojsc", "cjsc",
}  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_supplier(name: str | None) -> str:
    """``"ООО «Чистый Дом»"``, ``"Chistyy Dom, OOO"`` and ``"CHISTYY DOM"`` all give ``"chistyy dom"``."""
    text = anyascii(unicodedata.normalize("NFKC", name or "")).lower()
    words = [w for w in _NOT_WORD.split(text) if w and w not in LEGAL_FORMS]
    return " ".join(words)


def link_key(kind: str, value: str) -> str:
    """One entry of :func:`link_keys`: ``|c:cleaning|`` for a category, ``|s:toza shahr|`` for a supplier
    (normalised with :func:`normalise_supplier`)."""
    return f"|{kind}:{value}|"


def link_keys(categories: Iterable[str], suppliers: Iterable[str]) -> str:
    """What an action can name a contract by, as one searchable text: its category ids and its
    suppliers' normalised names, e.g. ``|c:cleaning|s:toza shahr|``."""
    keys = sorted(
        {f"c:{c}" for c in categories if c} | {f"s:{n}" for s in suppliers if (n := normalise_supplier(s))}
    )
    return "|" + "|".join(keys) + "|" if keys else ""


def period_of(date: dt.date | None) -> str:
    """The grouping period of a line without a contract id: its calendar year, or ``undated``."""
    return str(date.year) if date else UNDATED


def contract_key(contract_id: str | None, supplier_name: str | None, date: dt.date | None) -> str:
    """The stable key of the contract a line rolls up into, within its office."""
    contract_id = (contract_id or "").strip()
    if contract_id:
        return ID_PREFIX + contract_id
    return f"{GROUP_PREFIX}{normalise_supplier(supplier_name) or '?'}|{period_of(date)}"


def higher_level(a: str, b: str) -> str:
    """The graver of two risk levels (unknown levels count as lowest)."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    return a if rank.get(a, -1) >= rank.get(b, -1) else b


@dataclass
class Rollup:
    """One contract's figures from its current lines."""

    key: str
    contract_id: str = ""
    supplier_key: str = ""
    period: str = ""
    lines: int = 0
    value_eur: float = 0.0
    high_lines: int = 0
    top_score: float = 0.0
    top_level: str = "low"
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    suppliers: dict[str, float] = field(default_factory=dict)  # spelling as in the data → spend
    categories: dict[str, float] = field(default_factory=dict)  # category id → spend
    category_labels: dict[str, str] = field(default_factory=dict)
    years: set[int] = field(default_factory=set)

    @property
    def grouped(self) -> bool:
        return not self.contract_id

    def add(self, group: dict) -> None:
        n, value = group["lines"], group["value_eur"] or 0.0
        self.lines += n
        self.value_eur += value
        if group["level"] in HIGH:
            self.high_lines += n
        self.top_score = max(self.top_score, group["top_score"] or 0.0)
        self.top_level = higher_level(self.top_level, group["level"])
        for attr, pick in (("first_date", min), ("last_date", max)):
            new = group[attr]
            if new is not None:
                old = getattr(self, attr)
                setattr(self, attr, new if old is None else pick(old, new))
        supplier = group["supplier_name"] or ""
        if supplier:
            self.suppliers[supplier] = self.suppliers.get(supplier, 0.0) + value
        category = group["category"] or ""
        if category:
            self.categories[category] = self.categories.get(category, 0.0) + value
            self.category_labels.setdefault(category, group.get("category_label") or category)
        if group.get("year"):
            self.years.add(group["year"])


def roll_up(groups: Iterable[dict]) -> dict[str, Rollup]:
    """Merge aggregated line groups into contracts.

    Each group is the aggregate of lines sharing ``contract_id``, ``supplier_name``, ``year`` (of the
    line's date, or None), ``category``, ``category_label`` and ``level`` (after decisions), with
    ``lines``, ``value_eur``, ``top_score``, ``first_date`` and ``last_date``.
    """
    contracts: dict[str, Rollup] = {}
    for group in groups:
        year = group.get("year")
        date = dt.date(year, 1, 1) if year else None
        key = contract_key(group["contract_id"], group["supplier_name"], date)
        rollup = contracts.get(key)
        if rollup is None:
            contract_id = (group["contract_id"] or "").strip()
            rollup = contracts[key] = Rollup(
                key=key,
                contract_id=contract_id,
                supplier_key="" if contract_id else normalise_supplier(group["supplier_name"]),
                period="" if contract_id else period_of(date),
            )
        rollup.add(group)
    return contracts
