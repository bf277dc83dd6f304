"""The period a screening covers: whole months around its lines' dates, or what the uploader says.

Plain rules on plain values (no database): the period read from the dates, how it is written for
people, whether two periods overlap, and the order in which an office's screenings stand.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.formats import date_format
from django.utils.translation import gettext as _

TRIM = 0.01  # a stray date (a typo, a contract signed years ago) in 1% of the lines does not widen the period
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_from_dates(
    dates: pa.Array | pa.ChunkedArray | Sequence[dt.date | None],
) -> tuple[dt.date, dt.date] | None:
    """Whole months from the 1st to the 99th percentile of the dates; None when there is no date."""
    if not isinstance(dates, pa.Array | pa.ChunkedArray):
        dates = pa.array(list(dates), pa.date32())
    values = np.asarray(pc.drop_null(dates.cast(pa.date32())).cast(pa.int32()).to_numpy())
    if values.size == 0:
        return None
    low, high = np.quantile(values, [TRIM, 1 - TRIM], method="inverted_cdf")
    epoch = dt.date(1970, 1, 1)
    return (
        month_start(epoch + dt.timedelta(days=int(low))),
        month_end(epoch + dt.timedelta(days=int(high))),
    )


def parse_month(text: str, end: bool = False) -> dt.date | None:
    """``2025-01`` (what a month input sends) as its first day, or its last with ``end``; None if empty."""
    if not text or not text.strip():
        return None
    found = _MONTH.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2025-01")
    day = dt.date(int(found.group(1)), int(found.group(2)), 1)
    return month_end(day) if end else day


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """``January 2025``, ``January – March 2025``, ``December 2024 – February 2025``; "" when unknown."""
    if start is None or end is None:
        return ""
    whole = start.day == 1 and end == month_end(end)
    if not whole:
        return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}"
    if (start.year, start.month) == (end.year, end.month):
        return date_format(start, "YEAR_MONTH_FORMAT")
    if start.year == end.year:
        return _("%(start)s – %(end)s") % {
            "start": date_format(start, "F"),
            "end": date_format(end, "YEAR_MONTH_FORMAT"),
        }
    return f"{date_format(start, 'YEAR_MONTH_FORMAT')} – {date_format(end, 'YEAR_MONTH_FORMAT')}"


def period_code(start: dt.date | None, end: dt.date | None) -> str:
    """The period in any language's notation, for the audit log: ``2025-01``, ``2025-01 – 2025-03``."""
    if start is None or end is None:
        return ""
    if start.day == 1 and end == month_end(end):
        first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    else:
        first, last = start.isoformat(), end.isoformat()
    return first if first == last else f"{first} – {last}"


def overlaps(a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]) -> bool:
    """Do two periods share a day? An unknown period overlaps nothing."""
    if None in a or None in b:
        return False
    return a[0] <= b[1] and b[0] <= a[1]


def rank_key(period_end: dt.date | None, created: dt.datetime, pk: int) -> tuple:
    """How an office's screenings stand: the later period first in force, then the later upload.

    A screening without a period counts from the day it was uploaded.
    """
    return (period_end or created.date(), created, pk)


def ranks(screenings: Iterable) -> dict[int, int]:
    """``{pk: rank}``, 1 for the earliest: of two versions of a line, the higher rank's is in force."""
    ordered = sorted(screenings, key=lambda s: rank_key(s.period_end, s.created, s.pk))
    return {s.pk: i for i, s in enumerate(ordered, start=1)}
