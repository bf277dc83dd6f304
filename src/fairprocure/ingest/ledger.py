"""Spend ledgers (CSV, XLSX) from any ERP: detect columns, parse values, build lines.

Description rule: the description columns (description, item, title, short description ...) are joined
with " — " in their file order, then the context columns (expense type, expense area, category ...) are
appended the same way; a value equal to the one before it is left out, and empty values are skipped.
A row with no description, classification, supplier or amount is quarantined: there is nothing to screen.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairprocure.ingest.finish import Issues, failed_rows, finish, map_distinct
from fairprocure.ingest.headers import detect_columns
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError, Problem
from fairprocure.ingest.parsers import parse_amount, parse_date
from fairprocure.ingest.tabular import RawTable, read_tabular
from fairprocure.messages import template

TEXT_FIELDS = (
    "office", "contract_id", "record_id", "classification_scheme", "classification_code", "cpv", "supplier_name",
    "supplier_id", "supplier_country", "origin_country", "delivery_country", "currency", "procurement_method",
)  # fmt: skip
NOT_A_NUMBER = template("data.not_a_number", "not a number: %(value)s")
NOT_A_DATE = template("data.not_a_date", "not a date: %(value)s")
MAPPING_HELP = (
    'Write a mapping file (TOML) naming the columns, e.g.\n  [columns]\n  value = "Net amount"\n'
    '  description = ["Item", "Notes"]\nand pass it with --mapping (see docs/data-model.md).'
)


def _strip(column: pa.Array) -> pa.Array:
    stripped = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(stripped, ""), pa.nulls(len(column), pa.string()), stripped)


def _join(columns: list[pa.Array]) -> pa.Array | None:
    """Join text columns with " — ", skipping empty values and a value equal to the previous column's."""
    if not columns:
        return None
    kept = [columns[0]]
    for previous, column in itertools.pairwise(columns):
        same = pc.fill_null(pc.equal(column, previous), False)
        kept.append(pc.if_else(same, pa.nulls(len(column), pa.string()), column))
    joined = kept[0]
    for column in kept[1:]:  # (null_handling="skip" of binary_join_element_wise loses rows in pyarrow 22)
        both = pc.binary_join_element_wise(joined, column, " — ")
        joined = pc.coalesce(both, joined, column)
    return joined


def _assign(table: pa.Table, mapping: Mapping, path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Columns for each field: the mapping's first, then detected among the non-empty remaining columns."""
    present = [name for name in table.column_names if table.column(name).null_count < len(table)]
    for field, names in mapping.columns.items():
        missing = [n for n in names if n not in table.column_names]
        if missing:
            raise IngestError(
                f"{path}: mapping names column(s) {missing} for {field}, not in the file; "
                f"columns found: {table.column_names}"
            )
    used = {n for names in mapping.columns.values() for n in names}
    detected, currencies = detect_columns([n for n in present if n not in used])
    assigned = {f: c for f, c in detected.items() if f not in mapping.columns and f not in mapping.constants}
    assigned.update(mapping.columns)
    has_value = "value" in assigned or "value" in mapping.constants
    has_text = any(f in assigned or f in mapping.constants for f in ("description", "description_context"))
    if not (has_value and has_text):
        need = [name for name, ok in (("amount", has_value), ("description", has_text)) if not ok]
        raise IngestError(
            f"{path}: no {' or '.join(need)} column recognised; "
            f"columns found: {table.column_names}.\n{MAPPING_HELP}"
        )
    return assigned, currencies


def _parse_numbers(raw: pa.Array, field: str, mapping: Mapping, issues: Issues) -> tuple[pa.Array, pa.Array]:
    """Floats and the currency written beside them, parsing distinct values only."""
    if mapping.decimal is None and mapping.thousands is None:
        try:
            return pc.cast(raw, pa.float64()), pa.nulls(len(raw), pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # not plain numbers ("1.200,00 €"): parse each distinct text below
    decimal, thousands = mapping.decimal, mapping.thousands
    values, _, _ = map_distinct(raw, lambda t: parse_amount(t, decimal, thousands)[0], pa.float64())
    currencies, _, _ = map_distinct(raw, lambda t: parse_amount(t, decimal, thousands)[1], pa.string())
    for value, rows in failed_rows(raw, values).items():
        issues.add(rows, field, NOT_A_NUMBER(value=repr(value)))
    return values, currencies


def _parse_dates(raw: pa.Array, field: str, mapping: Mapping, issues: Issues) -> pa.Array:
    parsed, _, _ = map_distinct(raw, lambda t: parse_date(t, mapping.date_format), pa.date32())
    for value, rows in failed_rows(raw, parsed).items():
        issues.add(rows, field, NOT_A_DATE(value=repr(value)))
    return parsed


def read_ledger(
    path: Path, kind: str, mapping: Mapping, source_file: str
) -> tuple[pa.Table, list[Problem], dict]:
    """Read one CSV/XLSX ledger into canonical lines; returns (lines, problems, stats)."""
    lines, problems, stats, _ = ledger_lines(
        read_tabular(path, kind, mapping), path, kind, mapping, source_file
    )
    return lines, problems, stats


def ledger_lines(
    raw: RawTable,
    path: Path,
    kind: str,
    mapping: Mapping,
    source_file: str,
    assignment: tuple[dict[str, list[str]], dict[str, str]] | None = None,
) -> tuple[pa.Table, list[Problem], dict, tuple[dict[str, list[str]], dict[str, str]]]:
    """Lines of one block of a ledger's rows; also returns the column assignment, to reuse for later blocks."""
    table = raw.table
    n = table.num_rows
    assignment = assignment or _assign(table, mapping, path)
    assigned, header_currency = assignment
    rows = pa.array(np.arange(raw.first_row, raw.first_row + n).astype(str), pa.string())
    records = pc.binary_join_element_wise("row ", rows, "").cast(pa.string())
    issues = Issues(source_file, records)
    for note in raw.notes:
        issues.problems.append(Problem(source_file, "whole file", None, note, "kept"))
    col = {f: [_strip(table.column(c).combine_chunks()) for c in cols] for f, cols in assigned.items()}
    out: dict[str, pa.Array] = {}
    for field in TEXT_FIELDS:
        if field in col:
            out[field] = _join(col[field])
    for field, value in mapping.constants.items():
        if field in out:  # a constant fills the gaps of a column
            out[field] = pc.fill_null(out[field], value)
        elif field not in ("value", "quantity", "date", "end_date", "description"):
            out[field] = pa.array([value] * n, pa.string())
    description = _join(col.get("description", []) + col.get("description_context", []))
    if description is None and "description" in mapping.constants:
        description = pa.array([mapping.constants["description"]] * n, pa.string())
    out["description"] = description
    written_currency = pa.nulls(n, pa.string())
    if "value" in col:
        value_raw = col["value"][0]
        out["value"], written_currency = _parse_numbers(value_raw, "value", mapping, issues)
    if "quantity" in col:
        out["quantity"], _ = _parse_numbers(col["quantity"][0], "quantity", mapping, issues)
    for field in ("date", "end_date"):
        if field in col:
            out[field] = _parse_dates(col[field][0], field, mapping, issues)
    value_header = assigned.get("value", [None])[0]
    fallback = header_currency.get(value_header) or mapping.constants.get("currency")
    currency = out.get("currency", pa.nulls(n, pa.string()))
    currency = pc.coalesce(currency, written_currency)
    if fallback:
        currency = pc.fill_null(currency, fallback)
    if pc.any(pc.is_valid(currency)).as_py():
        out["currency"] = currency
    else:
        out.pop("currency", None)
    if "cpv" in out:
        out["classification_code"] = out.get("classification_code") or out["cpv"]
        out["classification_scheme"] = out.get("classification_scheme") or pa.array(["CPV"] * n, pa.string())
    # line_id: left to finish() (fairprocure.ingest.identity): the record id, else the content fingerprint.
    out["source_file"] = pa.array([source_file] * n, pa.string())
    out["source_record"] = records
    lines = finish(out, n, issues)
    lines, quarantined = _quarantine(lines, issues)
    stats = {"format": kind, "records_read": n, "lines": lines.num_rows, "quarantined": quarantined}
    return lines, issues.problems, stats, assignment


def _quarantine(lines: pa.Table, issues: Issues) -> tuple[pa.Table, int]:
    """Drop rows with nothing to screen (no description, supplier or amount), recording each."""
    empty = pc.is_null(lines["description"])
    for name in ("classification_code", "supplier_name", "value"):
        empty = pc.and_(empty, pc.is_null(lines[name]))
    bad = np.flatnonzero(empty.to_numpy())
    for r in bad:
        issues.problems.append(
            Problem(
                issues.file,
                issues.record_name(int(r)),
                None,
                "nothing to screen: no description, classification, supplier or amount",
                "quarantined",
            )
        )
    return (lines.filter(pc.invert(empty)) if len(bad) else lines), len(bad)
