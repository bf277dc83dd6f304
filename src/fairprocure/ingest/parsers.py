"""Parse amounts and dates as real ledgers write them. Cached: call them on distinct values only.

Amounts: "1200.50", "1.200,00", "1 200,50", "1'200.50", "€1,200.00", "(500.00)" (negative),
"-500", "500-", "12 345 руб.", "EUR 1,200". The currency written beside an amount is returned too.
Dates: ISO ("2025-01-09", with a time), dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy (or mm/dd/yyyy when the
column says so), yyyy/mm/dd, YYYYMMDD, Excel serial numbers, "9 Jan 2025", "01-JUN-2012"; an explicit
``date_format`` (strptime) wins.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from fairprocure.reference.currency import is_currency

_NUMBER = re.compile(r"[0-9][0-9 .,'\u00a0\u202f\u2009]*")
_SPACES = str.maketrans("", "", " '\u00a0\u202f\u2009")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@cache
def _currency_symbols() -> dict[str, str]:
    """Unambiguous currency symbols and abbreviations (CLDR, via babel) -> ISO code."""
    from babel import Locale

    seen: dict[str, set[str]] = {}
    for language in ("en", "fr", "de", "es", "it", "pl", "ro", "ru", "uk", "cs", "hu", "bg", "sr", "tr"):
        for code, symbol in Locale.parse(language).currency_symbols.items():
            if symbol != code and len(code) == 3:
                seen.setdefault(symbol.casefold().rstrip("."), set()).add(code)
    return {symbol: codes.pop() for symbol, codes in seen.items() if len(codes) == 1}


@lru_cache(maxsize=1024)
def _currency_from_abbreviation(word: str) -> str | None:
    """ISO code of a local abbreviation such as "руб." or "грн": a word of a CLDR currency name that
    starts with it, in the language whose home country uses that currency (ru → RUB, uk → UAH)."""
    from babel import Locale
    from babel.core import get_global

    stem = word.casefold().rstrip(".")
    if len(stem) < 3 or not stem.isalpha():
        return None
    likely = get_global("likely_subtags")
    for language in ("ru", "uk", "ro", "pl", "de", "fr", "es", "it", "bg", "sr", "mk", "cs", "hu"):
        home = likely.get(language, "").split("_")[-1]
        for code, name in Locale.parse(language).currencies.items():
            if code[:2] == home and any(part.startswith(stem) for part in name.casefold().split()):
                return code
    return None


def _currency_in(text: str) -> str | None:
    """ISO code named by the non-numeric part of an amount ("€", "EUR", "руб."), else None."""
    rest = text.strip(" .-+()")
    if not rest:
        return None
    if len(rest) == 3 and rest.isalpha() and is_currency(rest.upper()):
        return rest.upper()
    return _currency_symbols().get(rest.casefold().rstrip(".")) or _currency_from_abbreviation(rest)


def _to_float(digits: str, decimal: str | None, thousands: str | None) -> float | None:
    """Number from digits with separators; guesses the decimal mark when not told."""
    text = digits.translate(_SPACES)
    if decimal and not thousands:  # the other mark can only be a thousands separator
        thousands = "." if decimal == "," else ","
    if thousands:
        text = text.replace(thousands, "")
    if decimal:
        text = text.replace(decimal, ".") if decimal != "." else text
    else:
        last_dot, last_comma = text.rfind("."), text.rfind(",")
        if last_dot >= 0 and last_comma >= 0:  # the later one is the decimal mark
            mark, other = (".", ",") if last_dot > last_comma else (",", ".")
            text = text.replace(other, "").replace(mark, ".")
        elif last_comma >= 0:
            parts = text.split(",")
            # "1,200" or "1,200,000" are thousands; "1,5" or "12,50" are decimals
            if len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] != "0"):
                text = text.replace(",", "")
            else:
                text = text.replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


_DEBIT_CREDIT = re.compile(r"\s*\b(CR|DR|Cr|Dr|cr|dr)\.?\s*$")


@lru_cache(maxsize=262144)
def parse_amount(
    text: str | None, decimal: str | None = None, thousands: str | None = None
) -> tuple[float | None, str | None]:
    """(amount, currency written beside it) from an amount as text; (None, None) if not an amount.

    >>> parse_amount("1.200,00"), parse_amount("(500.00)"), parse_amount("€1,200.00")
    ((1200.0, None), (-500.0, None), (1200.0, 'EUR'))
    >>> parse_amount("1,000.00 CR"), parse_amount("£500.00 Dr")
    ((-1000.0, None), (500.0, 'GBP'))
    """
    if text is None:
        return None, None
    raw = text.strip()
    if not raw:
        return None, None
    match = _NUMBER.search(raw)
    if match is None:
        return None, None
    number = match.group().rstrip(" .,'\u00a0\u202f\u2009")
    before, after = raw[: match.start()], raw[match.start() + len(number) :]
    negative = "-" in before or "\u2212" in before or after.strip().startswith("-")
    negative = negative or ("(" in before and ")" in after)
    side = _DEBIT_CREDIT.search(after)  # "1,000.00 CR": a credit (refund) is negative, a debit positive
    if side:
        negative = negative or side.group(1).upper() == "CR"
        after = after[: side.start()] + after[side.end() :]
    outside = before.replace("(", "").replace("-", "").replace("\u2212", "") + " " + after.replace(")", "")
    outside = outside.strip().rstrip("-").strip()
    if len(outside) > 6 or " " in outside:  # words around a number, not a currency sign or code
        return None, None
    currency = _currency_in(outside) if outside else None
    if outside and currency is None:
        return None, None  # words around a number: not an amount ("abc", "12 boxes")
    value = _to_float(number, decimal, thousands)
    if value is None:
        return None, None
    return (-value if negative else value), currency


_NAMED_MONTH_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d.%b.%Y",
    "%Y-%m",
)
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\.?(?:[ T].*)?$")
_NAMED_MONTH = re.compile(  # "9 Jan 2025", "01-JUN-2012", "January 9, 2025", "2025-01" (then strptime)
    r"^(?:\d{1,2}[ .\-]?[A-Za-z]{3,9}\.?[ .\-]?\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2}, \d{4}|\d{4}-\d{1,2})(?:[ T].*)?$"
)
_COMPACT_DATE = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


def date_order(values: list[str]) -> str | None:
    """Order of day, month and year in a column's numeric dates: "dmy", "mdy" or "ymd" (None: no such dates).

    A first number above 12 means day first; a second above 12, month first; when nothing decides,
    day first (the international and European order).

    >>> date_order(["06/25/2012", "07/01/2012"]), date_order(["01/07/2012"]), date_order(["2012/06/25"])
    ('mdy', 'dmy', 'ymd')
    """
    day_first = month_first = year_first = numeric = 0
    for value in values:
        match = _NUMERIC_DATE.match(value.strip())
        if not match:
            continue
        numeric += 1
        a, b, _ = match.groups()
        if len(a) == 4:
            year_first += 1
        elif int(a) > 12 >= int(b):
            day_first += 1
        elif int(b) > 12 >= int(a):
            month_first += 1
    if not numeric:
        return None
    if year_first > numeric / 2:
        return "ymd"
    return "mdy" if month_first > day_first else "dmy"


def _year(text: str) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        yy = int(text)
        return 2000 + yy if yy < 70 else 1900 + yy
    return None


@lru_cache(maxsize=262144)
def parse_date(
    text: str | None, date_format: str | None = None, order: str | None = None, serials: bool = True
) -> dt.date | None:
    """Date from text in common formats; None if not a date.

    ``order`` ("dmy", "mdy", "ymd") settles 01/02/2025; by default day comes first. ``serials``: read
    whole numbers 20000-80000 as Excel day numbers. An explicit ``date_format`` (strptime) wins.

    >>> parse_date("09.01.2025"), parse_date("20250109"), parse_date("45666")
    (datetime.date(2025, 1, 9), datetime.date(2025, 1, 9), datetime.date(2025, 1, 9))
    >>> parse_date("01/09/2025", order="mdy"), parse_date("25/06/2012900")
    (datetime.date(2025, 1, 9), None)
    """
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        return None
    if date_format:
        try:
            return dt.datetime.strptime(raw, date_format).date()
        except ValueError:
            return None
    if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-" and (len(raw) == 10 or raw[10] in " T"):
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return None
    if serials and re.fullmatch(r"\d{5}(\.0+)?", raw):  # Excel serial day number
        serial = int(float(raw))
        if 20000 <= serial <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=serial)
        return None
    match = _NUMERIC_DATE.match(raw)
    if match:
        a, b, c = match.groups()
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c) if len(c) <= 2 else -1
        elif order == "mdy":
            month, day, year = int(a), int(b), _year(c)
        else:
            day, month, year = int(a), int(b), _year(c)
        if year is None or not 1900 <= year <= 2100:
            return None
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if _COMPACT_DATE.match(raw):
        try:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            return None
    if not _NAMED_MONTH.match(raw):
        return None
    for fmt in _NAMED_MONTH_FORMATS:
        for candidate in (raw, raw.split("T")[0].rsplit(" ", 1)[0] if raw.count(" ") > 2 else raw):
            try:
                parsed = dt.datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
            if 1900 <= parsed.year <= 2100:
                return parsed
    return None
