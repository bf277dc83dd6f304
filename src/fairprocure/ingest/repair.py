"""Rows with the wrong number of fields: repaired when exactly one repair fits, else quarantined.

A row one field short may have two fields fused by the exporting system (``25/06/2012900``: a date and
an amount); one field long, a delimiter inside an unquoted value (``Smith, J``); a few empty fields
too many, trailing delimiters. Every way of splitting one field in two (or joining two neighbours, or
dropping the empty trailing fields) is tried, and a candidate *fits* when every date and amount column
that is filled in nearly every good row is filled, parses, and — for dates — is written in a shape the
good rows use (``99/99/9999``). A repair is made only when exactly one candidate fits: it is certain,
and it is said on the line. Otherwise the row is quarantined with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from fairprocure.ingest.parsers import parse_amount, parse_date
from fairprocure.messages import Message, template

SPLIT = template("repair.split", "field %(value)s split into %(left)s and %(right)s")
JOINED = template("repair.joined", "fields %(left)s and %(right)s joined (a delimiter inside a value)")
TRAILING = template("repair.trailing", "%(count)s empty field(s) after the last column dropped")

MAX_CANDIDATES = 2000


def shape(value: str) -> str:
    """The written shape of a value: digits as 9, letters as a ("25/06/2012" → "99/99/9999")."""
    return re.sub(r"[^\W\d_]", "a", re.sub(r"\d", "9", value.strip()))


@dataclass
class Checks:
    """What a repaired row must satisfy: typed columns by index, with their formats."""

    dates: dict[int, tuple[str | None, set[str]]]  # index -> (day order, shapes seen)
    amounts: dict[int, str | None]  # index -> decimal mark
    width: int
    delimiter: str = ","

    def fits(self, cells: list[str]) -> bool:
        if len(cells) != self.width:
            return False
        for i, (order, shapes) in self.dates.items():
            value = cells[i].strip()
            if not value or parse_date(value, order=order, serials=False) is None:
                return False
            if shapes and shape(value) not in shapes:
                return False
        for i, decimal in self.amounts.items():
            value = cells[i].strip()
            if not value or parse_amount(value, decimal)[0] is None:
                return False
        return True


def build_checks(
    headers: list[str], assignment, good_columns: dict[str, list[str | None]], delimiter: str
) -> Checks:
    """Checks from the assignment and the good rows' values of the typed columns."""
    dates, amounts = {}, {}
    for name in ("date", "end_date"):
        col = assignment.first(name)
        profile = assignment.profiles.get(col) if col else None
        if col and profile and profile.fill >= 0.9:
            values = [v for v in good_columns.get(col, []) if v]
            counts = Counter(shape(v) for v in values)
            total = sum(counts.values())
            shapes = {s for s, n in counts.items() if n >= max(1, 0.01 * total)}
            dates[headers.index(col)] = (profile.date_order, shapes)
    col = assignment.first("value")
    profile = assignment.profiles.get(col) if col else None
    if col and profile and profile.fill >= 0.9:
        amounts[headers.index(col)] = profile.decimal_mark
    return Checks(dates, amounts, len(headers), delimiter)


def _candidates(cells: list[str], width: int, delimiter: str):
    """(cells, how) for every repair of one kind of fault."""
    n = len(cells)
    if n > width and not any(c.strip() for c in cells[width:]):
        yield cells[:width], TRAILING(count=str(n - width))
        return
    if n == width - 1:
        for j, cell in enumerate(cells):
            for p in range(1, len(cell)):
                yield (
                    [*cells[:j], cell[:p], cell[p:], *cells[j + 1 :]],
                    SPLIT(value=repr(cell), left=repr(cell[:p]), right=repr(cell[p:])),
                )
    elif n == width + 1:
        for j in range(n - 1):
            joined = cells[j] + delimiter + cells[j + 1]
            yield (
                [*cells[:j], joined, *cells[j + 2 :]],
                JOINED(left=repr(cells[j]), right=repr(cells[j + 1])),
            )


def repair(cells: list[str], checks: Checks) -> tuple[list[str] | None, Message | str]:
    """(repaired cells, what was done) when exactly one repair fits; (None, why not) otherwise."""
    n = len(cells)
    if n > checks.width and not any(c.strip() for c in cells[checks.width :]):
        return cells[: checks.width], TRAILING(count=str(n - checks.width))
    if not checks.dates and not checks.amounts:
        return None, "no date or amount column to check a repair against"
    found: list[tuple[list[str], str]] = []
    for i, (candidate, how) in enumerate(_candidates(cells, checks.width, checks.delimiter)):
        if i >= MAX_CANDIDATES:
            break
        if checks.fits(candidate):
            found.append((candidate, how))
            if len(found) > 1:
                return None, "more than one repair fits"
    if not found:
        return None, "no repair fits"
    return found[0]
