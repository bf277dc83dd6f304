"""Turn raw columns into the canonical line table, column by column.

Every normalisation maps the *distinct* values of a column through a cached parser and takes the
results back by index, so repeated values (the norm in ledgers) cost nothing. Problems are recorded
once per distinct bad value, naming up to five rows, and on each affected line in ``data_issues``.
"""

from __future__ import annotations

import datetime as dt
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
    """Per-line issue messages plus the summarised Problems of one source file."""

    def __init__(self, file: str, records: list[str] | pa.Array):
        self.file = file
        self.records = records
        self.by_line: dict[int, list[str]] = {}
        self.problems: list[Problem] = []

    def record_name(self, index: int) -> str:
        value = self.records[index]
        return value.as_py() if isinstance(value, pa.Scalar) else str(value)

    def add(self, rows: np.ndarray | list[int], field: str | None, message: str) -> None:
        """Note ``message`` on every line in ``rows`` and one kept Problem naming them."""
        rows = [int(r) for r in rows]
        if not rows:
            return
        issue = line_issue(field, message)
        for r in rows:
            self.by_line.setdefault(r, []).append(issue)
        names = ", ".join(self.record_name(r) for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        self.problems.append(Problem(self.file, names + more, field, message, "kept"))

    def column(self, n: int) -> pa.Array:
        out: list[str | None] = [None] * n
        for r, messages in self.by_line.items():
            out[r] = orjson.dumps(messages).decode()
        return pa.array(out, pa.string())


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
    keys = pc.binary_join_element_wise(
        pc.fill_null(currency, ""), pc.fill_null(pc.cast(date, pa.string()), ""), "|"
    )
    encoded = pc.dictionary_encode(keys)
    rates, notes = [], []
    for key in encoded.dictionary.to_pylist():
        code, _, day = key.partition("|")
        found = eur_rate(code or None, dt.date.fromisoformat(day) if day else None)
        rates.append(found[0] if found else None)
        notes.append(found[1] if found else None)
    indices = encoded.indices
    rate = pa.array(rates, pa.float64()).take(indices)
    note = pa.array(notes, pa.string()).take(indices)
    has_value = pc.is_valid(value)
    for message in {m for m in notes if m}:
        rows = np.flatnonzero(
            pc.and_(has_value, pc.fill_null(pc.equal(note, message), False)).to_numpy(False)
        )
        issues.add(rows, "value_eur", message)
    return pc.multiply(value.cast(pa.float64()), rate)
