"""Pages of the register that cost the same at line 25,000 as at line 1: keyset links, no count.

"Next" and "Previous" carry the sort key of the last (first) line shown, ``after=`` / ``before=``, and
the page asks for the lines beyond it: a walk of the order's index from that line (``Line.Meta`` has one
for the organisation, an office, a level in force and a category), never an ``OFFSET`` over the lines
before it. Ties are broken by the line's id, so no line is shown twice or skipped while paging.

A page number typed in the address (``?page=500``) without a key is found by reading only the ids of the
lines before it, from the order's index, then the 50 lines themselves. How many lines match is told
only when the office statistics know it exactly (filters by office, level, category and severity);
otherwise the page shows "Next" while there are more, without counting them.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson
from django.db.models import F, Q, QuerySet, Sum

PAGE_SIZE = 50
# The register's sorts (filters.SORTS) as (field, descending) keys; the line's id, ascending, breaks ties.
# A descending key puts missing values last, an ascending one has none (supplier_name is never null).
KEYS: dict[str, list[tuple[str, bool]]] = {
    "priority": [("effective_priority", True), ("risk_score", True)],
    "risk": [("risk_score", True)],
    "value": [("value_eur", True)],
    "date": [("date", True)],
    "supplier": [("supplier_name", False)],
}
DATES = {"date"}


@dataclass
class Page:
    """What the register's table shows: the lines, the page number and the links' query strings."""

    lines: list
    number: int
    next_query: str | None = None
    previous_query: str | None = None
    total: int | None = None  # exact, from the office statistics, when the filters allow

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def object_list(self) -> list:
        return self.lines


def order(sort: str, reverse: bool = False) -> list:
    """The ORDER BY of ``sort`` (reversed for a "Previous" link)."""
    terms = []
    for name, descending in KEYS[sort]:
        if descending != reverse:
            terms.append(F(name).desc(nulls_last=True))
        else:
            terms.append(F(name).asc(nulls_first=True))
    terms.append(F("pk").desc() if reverse else F("pk").asc())
    return terms


def key_of(line, sort: str) -> str:
    """The token of ``line``'s place in the order ``sort``: its key values and id, base64url JSON."""
    values = []
    for name, _ in KEYS[sort]:
        value = getattr(line, name)
        values.append(value.isoformat() if isinstance(value, dt.date) else value)
    values.append(line.pk)
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def parse_key(token: str, sort: str) -> list | None:
    """The key values and id of a token, or None when it is not one of ``sort``'s (ignored: first page)."""
    try:
        values = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(values, list) or len(values) != len(KEYS[sort]) + 1:
            return None
        for (name, _), value in zip(KEYS[sort], values, strict=False):
            if value is None:
                continue
            if name in DATES:
                dt.date.fromisoformat(value)
            elif name == "supplier_name":
                if not isinstance(value, str):
                    return None
            elif not isinstance(value, int | float) or isinstance(value, bool):
                return None
        if not isinstance(values[-1], int) or isinstance(values[-1], bool):
            return None
    except (ValueError, TypeError, orjson.JSONDecodeError):
        return None
    return [
        dt.date.fromisoformat(v) if name in DATES and v is not None else v
        for (name, _), v in zip(KEYS[sort], values, strict=False)
    ] + [values[-1]]


def _beyond(name: str, descending: bool, value, forward: bool) -> Q | None:
    """Lines strictly past ``value`` on one key, walking forward (after) or backward (before).

    Missing values sort last on a descending key; ``None`` means no line is past it.
    """
    if descending == forward:  # walking towards smaller values, then the missing ones
        if value is None:
            return None
        return Q(**{f"{name}__lt": value}) | Q(**{f"{name}__isnull": True})
    if value is None:  # walking towards larger values: every present value is before a missing one
        return Q(**{f"{name}__isnull": False})
    return Q(**{f"{name}__gt": value})


def _same(name: str, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def seek(lines: QuerySet, sort: str, key: list, forward: bool = True) -> QuerySet:
    """``lines`` after (``forward``) or before the line whose key is ``key``, in the order ``sort``."""
    condition = Q(pk__gt=key[-1]) if forward else Q(pk__lt=key[-1])
    for (name, descending), value in reversed(list(zip(KEYS[sort], key, strict=False))):
        beyond = _beyond(name, descending, value, forward)
        same = _same(name, value) & condition
        condition = same if beyond is None else beyond | same
    return lines.filter(condition)


def _query(params: dict, **more) -> str:
    kept = {k: v for k, v in params.items() if v and k not in ("page", "after", "before")}
    return urlencode(kept | {k: v for k, v in more.items() if v is not None})


def page_of(lines: QuerySet, sort: str, params: dict, total: int | None = None) -> Page:
    """The page of ``lines`` that ``params`` (the request's query: filters, ``after``/``before``, ``page``)
    asks for, in the order ``sort`` (a key of :data:`KEYS`; ``lines`` need not be ordered)."""
    sort = sort if sort in KEYS else "priority"
    try:
        number = max(1, int(params.get("page") or 1))
    except ValueError:
        number = 1
    after = parse_key(params.get("after") or "", sort)
    before = None if after else parse_key(params.get("before") or "", sort)
    if after is not None:
        found = list(seek(lines, sort, after).order_by(*order(sort))[: PAGE_SIZE + 1])
        more, earlier = len(found) > PAGE_SIZE, True
        found = found[:PAGE_SIZE]
        number = max(number, 2)
    elif before is not None:
        found = list(seek(lines, sort, before, forward=False).order_by(*order(sort, True))[: PAGE_SIZE + 1])
        earlier, more = len(found) > PAGE_SIZE, True
        found = found[:PAGE_SIZE][::-1]
        number = number if earlier else 1
    elif number == 1:
        found = list(lines.order_by(*order(sort))[: PAGE_SIZE + 1])
        more, earlier = len(found) > PAGE_SIZE, False
        found = found[:PAGE_SIZE]
    else:  # a typed page number: the ids before it from the index, then its lines
        start = (number - 1) * PAGE_SIZE
        ids = list(lines.order_by(*order(sort)).values_list("pk", flat=True)[start : start + PAGE_SIZE + 1])
        more, earlier = len(ids) > PAGE_SIZE, True
        ids = ids[:PAGE_SIZE]
        by_id = lines.model.objects.filter(pk__in=ids).select_related("office").in_bulk()
        found = [by_id[pk] for pk in ids if pk in by_id]
    page = Page(found, number, total=total)
    if found and more:
        page.next_query = _query(params, after=key_of(found[-1], sort), page=str(number + 1))
    if earlier:
        if number <= 2 or not found:
            page.previous_query = _query(params)
        else:
            page.previous_query = _query(params, before=key_of(found[0], sort), page=str(number - 1))
    return page


def exact_total(offices, level: str = "", category: str = "", severity: str = "") -> int:
    """Lines in the register of ``offices`` with these filters, from the office statistics (no scan).

    The statistics are recomputed after every screening and risk decision (dashboard/stats.py), by the
    level in force, so the figure is the register's own."""
    from fairprocure.web.dashboard.models import CellStat

    cells = CellStat.objects.filter(office__in=offices)
    if level:
        cells = cells.filter(level=level)
    if category:
        cells = cells.filter(category=category)
    if severity:
        cells = cells.filter(severity=severity)
    return cells.aggregate(n=Sum("lines"))["n"] or 0
