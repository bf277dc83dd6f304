"""Turn raw columns into the canonical line table, column by column.

Every normalisation maps the *distinct* values of a column through a cached parser and takes the
results back by index, so repeated values (the norm in ledgers) cost nothing. Problems are recorded
once per distinct bad value, naming up to five rows, and on each affected line in ``data_issues``.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from fairprocure.ingest.identity import identify
from fairprocure.ingest.model import Problem
from fairprocure.ingest.parsers import _currency_in
from fairprocure.messages import Message, template
from fairprocure.reference.countries import to_iso3
from fairprocure.reference.cpv import normalise_cpv
from fairprocure.reference.currency import eur_rate
from fairprocure.schema import LINE_SCHEMA

COUNTRY_FIELDS = ("supplier_country", "origin_country", "delivery_country")
UNKNOWN_COUNTRY = template("data.unknown_country", "unknown country %(value)s")
UNKNOWN_CURRENCY = template("data.unknown_currency", "unknown currency %(value)s; value_eur left empty")
_EPOCH = dt.date(1970, 1, 1)
NO_CURRENCY = template(
    "data.no_currency", "no currency given (column, header or mapping); value_eur left empty"
)


def line_issue(field: str | None, message: str) -> str | dict:
    """A line's ``data_issues`` entry: ``{"text", "field", "t", "p"}`` for a Message, else the text."""
    text = f"{field}: {message}" if field else str(message)
    if not isinstance(message, Message):
        return text
    return (
        {"text": text, "field": field, **message.as_json()} if field else {"text": text, **message.as_json()}
    )


class Issues:
    """Per-line issue messages plus the summarised Problems of one source file.

    ``add`` keeps the rows of each message as an array (no Python per row); :meth:`column` gives each line
    the JSON list of its messages in the order they were added, building the JSON once per distinct list.
    ``by_line`` holds messages set line by line (OCDS records); they come before the added ones.
    """

    def __init__(self, file: str, records: list[str] | pa.Array):
        self.file = file
        self.records = records
        self.by_line: dict[int, list] = {}
        self.added: list[tuple[np.ndarray, str | dict]] = []
        self.problems: list[Problem] = []

    def record_name(self, index: int) -> str:
        value = self.records[index]
        return value.as_py() if isinstance(value, pa.Scalar) else str(value)

    def add(self, rows: np.ndarray | list[int], field: str | None, message: str) -> None:
        """Note ``message`` on every line in ``rows`` and one kept Problem naming them."""
        rows = np.asarray(rows, dtype=np.int64).ravel()
        if not len(rows):
            return
        self.added.append((rows, line_issue(field, message)))
        names = ", ".join(self.record_name(int(r)) for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        self.problems.append(Problem(self.file, names + more, field, message, "kept"))

    def column(self, n: int) -> pa.Array:
        """Each line's messages as a JSON list (null where it has none)."""
        choice = np.full(n, -1, dtype=np.int64)  # index into texts
        texts: list[str] = []
        combos: list[tuple[int, ...]] = []
        if self.added:
            rows = np.concatenate([r for r, _ in self.added])
            ids = np.concatenate([np.full(len(r), i, dtype=np.int64) for i, (r, _) in enumerate(self.added)])
            order = np.argsort(rows, kind="stable")  # a line's messages stay in the order they were added
            rows, ids = rows[order], ids[order]
            lines, start, counts = np.unique(rows, return_index=True, return_counts=True)
            grid = np.full((len(lines), int(counts.max())), -1, dtype=np.int64)
            grid[
                np.repeat(np.arange(len(lines)), counts), np.arange(len(rows)) - np.repeat(start, counts)
            ] = ids
            if grid.shape[1] == 1:  # one message a line, the common case: no need to compare rows
                distinct, inverse = np.unique(grid[:, 0], return_inverse=True)
                distinct = distinct.reshape(-1, 1)
            else:
                distinct, inverse = np.unique(grid, axis=0, return_inverse=True)
            combos = [tuple(int(i) for i in combo if i >= 0) for combo in distinct]
            texts = [orjson.dumps([self.added[i][1] for i in combo]).decode() for combo in combos]
            choice[lines] = inverse.reshape(-1)
        for r, messages in self.by_line.items():
            extra = [self.added[i][1] for i in combos[choice[r]]] if choice[r] >= 0 else []
            choice[r] = len(texts)
            texts.append(orjson.dumps([*messages, *extra]).decode())
        if not texts:
            return pa.nulls(n, pa.string())
        return pa.array(texts, pa.string()).take(pa.array(choice, mask=choice < 0))


def map_distinct(
    column: pa.Array, parse: Callable[[str], object], out_type: pa.DataType
) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Parse each distinct value once. Returns (parsed column, distinct values, per-row dictionary index)."""
    encoded = pc.dictionary_encode(column).combine_chunks() if isinstance(column, pa.ChunkedArray) else None
    encoded = encoded if encoded is not None else pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    parsed = pa.array([parse(v) for v in dictionary.to_pylist()], out_type)
    indices = encoded.indices
    return parsed.take(indices), dictionary, indices.to_numpy(zero_copy_only=False)


def failed_rows(raw: pa.Array, parsed: pa.Array) -> dict[str, np.ndarray]:
    """Rows whose raw value is present but did not parse, grouped by raw value."""
    bad = pc.and_(pc.is_valid(raw), pc.is_null(parsed))
    if not pc.any(bad).as_py():
        return {}
    rows = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
    values = raw.take(pa.array(rows)).to_pylist()
    groups: dict[str, list[int]] = {}
    for r, v in zip(rows, values, strict=True):
        groups.setdefault(v, []).append(int(r))
    return {v: np.array(rs) for v, rs in groups.items()}


def _normalise_currency(text: str | None) -> str | None:
    if text is None:
        return None
    code = text.strip().upper()
    if len(code) == 3 and code.isalpha():
        from fairprocure.reference.currency import is_currency

        return code if is_currency(code) else None
    return _currency_in(text)


def finish(columns: dict[str, pa.Array], n: int, issues: Issues) -> pa.Table:
    """Complete a line table: countries to ISO3, currency codes, CPV, value_eur, data_issues.

    ``columns`` holds raw strings for the country, currency and classification fields, already-typed
    ``value``/``quantity`` (float64) and ``date``/``end_date`` (date32), and the remaining text fields.
    """
    out = dict(columns)
    for name in COUNTRY_FIELDS:
        raw = out.get(name)
        if raw is None:
            continue
        parsed, _, _ = map_distinct(raw, to_iso3, pa.string())
        for value, rows in failed_rows(raw, parsed).items():
            issues.add(rows, name, UNKNOWN_COUNTRY(value=repr(value)))
        out[name] = parsed
    if "currency" in out:
        raw = out["currency"]
        parsed, _, _ = map_distinct(raw, _normalise_currency, pa.string())
        for value, rows in failed_rows(raw, parsed).items():
            issues.add(rows, "currency", UNKNOWN_CURRENCY(value=repr(value)))
        out["currency"] = parsed
    out["value_eur"] = _value_eur(out, n, issues)
    code = out.get("classification_code")
    if code is not None and "cpv" not in columns:
        out["cpv"] = _cpv_column(out.get("classification_scheme"), code)
    elif "cpv" in out:
        out["cpv"], _, _ = map_distinct(out["cpv"], normalise_cpv, pa.string())
    out["data_issues"] = issues.column(n)
    arrays = []
    for field in LINE_SCHEMA:
        column = out.get(field.name)
        arrays.append(pa.nulls(n, field.type) if column is None else column.cast(field.type))
    return identify(pa.Table.from_arrays(arrays, schema=LINE_SCHEMA))


def _cpv_column(scheme: pa.Array | None, code: pa.Array) -> pa.Array:
    """CPV when the scheme says CPV (any spelling), or the code is clearly CPV (8 digits + check digit)."""
    is_cpv_scheme = (
        pc.fill_null(pc.match_substring(pc.utf8_upper(scheme), "CPV"), False)
        if scheme is not None
        else pa.nulls(len(code), pa.bool_()).fill_null(False)
    )
    looks_cpv = pc.fill_null(pc.match_substring_regex(code, r"^\s*\d{8}-\d\s*$"), False)
    normalised, _, _ = map_distinct(code, normalise_cpv, pa.string())
    return pc.if_else(pc.or_(is_cpv_scheme, looks_cpv), normalised, pa.nulls(len(code), pa.string()))


def _value_eur(out: dict[str, pa.Array], n: int, issues: Issues) -> pa.Array:
    value, currency, date = out.get("value"), out.get("currency"), out.get("date")
    if value is None or currency is None:
        if value is not None:
            rows = np.flatnonzero(pc.is_valid(value).to_numpy(zero_copy_only=False))
            issues.add(rows, "currency", NO_CURRENCY())
        return pa.nulls(n, pa.float64())
    date = date if date is not None else pa.nulls(n, pa.date32())
    # The rate of each distinct (currency, date) pair, found by integer codes rather than joined text.
    currency, date = (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in (currency, date))
    codes = pc.dictionary_encode(currency)
    code_index = codes.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    days = date.cast(pa.date32()).view(pa.int32())
    day_key = np.where(  # days from 1970 moved to 0 .. 2**32; a line without a date: 2**32
        pc.is_valid(days).to_numpy(zero_copy_only=False),
        days.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) + (1 << 31),
        1 << 32,
    )
    pairs, pair_of_row = np.unique(((code_index + 1) << 33) | day_key, return_inverse=True)
    pair_of_row = pair_of_row.reshape(-1)
    names = codes.dictionary.to_pylist()
    pair_code, pair_day = (pairs >> 33) - 1, pairs & ((1 << 33) - 1)
    rates = np.empty(len(pairs))
    notes = np.empty(len(pairs), dtype=np.int64)
    for code in np.unique(pair_code).tolist():
        which = np.flatnonzero(pair_code == code)
        rates[which], notes[which] = _DAY_RATES.read(names[code] if code >= 0 else None, pair_day[which])
    rate = pa.array(rates, pa.float64(), mask=np.isnan(rates)).take(pa.array(pair_of_row))
    has_value = pc.is_valid(value).to_numpy(zero_copy_only=False)
    note_of_row = notes[pair_of_row]
    noted = np.flatnonzero((note_of_row >= 0) & has_value)
    noted = noted[np.argsort(note_of_row[noted], kind="stable")]  # by note, each note's rows in order
    ids, starts = np.unique(note_of_row[noted], return_index=True)
    rows_of = dict(zip(ids.tolist(), np.split(noted, starts[1:]), strict=True)) if len(noted) else {}
    said, first = np.unique(notes, return_index=True)
    for note in said[np.argsort(first)].tolist():  # in the order the pairs first say them
        if note in rows_of:
            issues.add(rows_of[note], "value_eur", _DAY_RATES.notes[note])
    return pc.multiply(value.cast(pa.float64()), rate)


_NO_DAYS = (np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))  # days, rates, note ids


class _DayRates:
    """Each currency's euro rate and note by day (days from 1970 moved up by 2**31; 2**32 for no date),
    as :func:`eur_rate` gives them, kept in arrays: a day's rate is looked up once per process, not once
    per block of a ledger."""

    def __init__(self) -> None:
        self.days: dict[str | None, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.notes: list[Message] = []
        self._note_ids: dict[Message, int] = {}
        self._lock = threading.Lock()  # days are added under it: screenings may share a process

    def read(self, currency: str | None, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rates (NaN: none) and note ids (-1: none) of ``currency`` on ``days`` (sorted, distinct)."""
        known, rates, notes = self.days.get(currency, _NO_DAYS)
        at = np.searchsorted(known, days)
        found = at < len(known)
        found[found] = known[at[found]] == days[found]
        if not found.all():
            with self._lock:
                return self._add(currency, days, days[~found])
        return rates[at], notes[at]

    def _add(self, currency: str | None, days: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        known, rates, notes = self.days.get(currency, _NO_DAYS)
        new = np.setdiff1d(new, known)  # another thread may have added some meanwhile
        if len(new):
            said = [self._said(currency, day) for day in new.tolist()]
            known = np.concatenate([known, new])
            rates = np.concatenate([rates, [r for r, _ in said]])
            notes = np.concatenate([notes, np.array([n for _, n in said], dtype=np.int64)])
            order = np.argsort(known, kind="stable")
            known, rates, notes = known[order], rates[order], notes[order]
            self.days[currency] = (known, rates, notes)
        at = np.searchsorted(known, days)
        return rates[at], notes[at]

    def _said(self, currency: str | None, day: int) -> tuple[float, int]:
        when = None if day == 1 << 32 else _EPOCH + dt.timedelta(days=day - (1 << 31))
        found = eur_rate(currency, when)
        if found is None:
            return math.nan, -1
        rate, note = found
        if note is None:
            return rate, -1
        if note not in self._note_ids:
            self._note_ids[note] = len(self.notes)
            self.notes.append(note)
        return rate, self._note_ids[note]


_DAY_RATES = _DayRates()
