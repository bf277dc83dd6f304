"""Spend ledgers (CSV, XLSX, JSON records) from any ERP: find the table, recognise its columns, build lines.

Steps, for each table (a CSV file, or each sheet of a workbook that holds a ledger):

1. :mod:`~fairprocure.ingest.tabular` finds the header (title rows skipped, two-row headers combined)
   and reads the rows as text, block by block;
2. on the first block, :func:`~fairprocure.ingest.assign.assign_columns` matches columns to fields by
   header and content (a mapping file's columns are taken as given);
3. every block: malformed rows are repaired or quarantined (:mod:`~fairprocure.ingest.repair`); blank
   rows are skipped and counted; a repeated header row or a total row is quarantined; amounts and dates
   are parsed with the column's own decimal mark and day/month order; the lines are completed by
   :func:`~fairprocure.ingest.finish.finish`.

Description rule: the description columns (description, item, title, narrative ...) are joined with
" — " in their file order, then the context columns (expense type, category, service area ...) the same
way; a value equal to the one before it is left out, and empty values are skipped.

A row can be screened when it says what was bought (a description or a classification code) or whom
was paid how much (a supplier and an amount); other rows are quarantined with the reason. A table is
refused only when none of its rows could be: no column says what was bought, and no supplier column
with an amount column was found.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairprocure.ingest.assign import Assignment, assign_columns
from fairprocure.ingest.finish import Issues, failed_rows, finish, map_distinct
from fairprocure.ingest.headers import header_scheme
from fairprocure.ingest.jsontable import json_tables
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError, Problem
from fairprocure.ingest.parsers import parse_amount, parse_date
from fairprocure.ingest.profile import SAMPLE_ROWS, TOTAL_ROW, content_evidence, profile_column
from fairprocure.ingest.repair import Checks, build_checks, repair
from fairprocure.ingest.tabular import (
    _NULLS as NULLS,
)
from fairprocure.ingest.tabular import (
    BLOCK_BYTES,
    Layout,
    RawTable,
    csv_layout,
    python_blocks,
    read_csv_whole,
    xlsx_tables,
)
from fairprocure.ingest.tabular import csv_blocks as arrow_csv_blocks
from fairprocure.messages import COUNTRY, MESSAGE, Term, template
from fairprocure.workers import fork_imap

TEXT_FIELDS = (
    "office", "contract_id", "record_id", "classification_scheme", "classification_code", "cpv", "supplier_name",
    "supplier_id", "supplier_country", "origin_country", "delivery_country", "currency", "procurement_method",
)  # fmt: skip
WHAT_FIELDS = ("description", "description_context", "classification_code", "cpv")
NOT_A_NUMBER = template("data.not_a_number", "not a number: %(value)s")
NOT_A_DATE = template("data.not_a_date", "not a date: %(value)s")
# Where an assumption comes from: the stored value, and its English.
ASSUMED_FROM = Term(
    "assumption source",
    {
        "--currency": "--currency",
        "--office-country": "--office-country",
        "office": "the office's settings",
        "default": "the run's default",
    },
)
ASSUMED_CURRENCY = template(
    "data.assumed_currency", "not in the data; assumed %(currency)s (%(source)s)", source=ASSUMED_FROM
)
OFFICE_COUNTRY = template(
    "data.office_country",
    "place of performance not in the data; the office's country %(country)s (%(source)s)",
    country=COUNTRY,
    source=ASSUMED_FROM,
)
ROW_REPAIRED = template("data.row_repaired", "row repaired: %(how)s", how=MESSAGE)
FROM_HEADING = template("data.from_heading", "empty in the row; taken from the group heading above it")
FILLED_DOWN = template(
    "data.filled_down",
    "empty in the row; the value above carried down (the export prints a repeated value once)",
)
# Columns a report prints once per group of rows, leaving the rows below it empty.
FILL_DOWN_FIELDS = ("supplier_name", "supplier_id", "office", "contract_id", "description_context")
MAPPING_HELP = (
    "Run `fairprocure inspect FILE` to see how the file was read and get a mapping file to correct, "
    'or write one (TOML) naming the columns, e.g.\n  [columns]\n  value = "Net amount"\n'
    '  description = ["Item", "Notes"]\nand pass it with --mapping (see docs/data-model.md).'
)


@dataclass
class Plan:
    """How one table is read: its layout, the column assignment and the checks for repairs."""

    layout: Layout
    assignment: Assignment
    checks: Checks
    multi_sheet: bool = False
    headings: Headings | None = None
    # column printed once per group -> its value in force at the end of the block read last
    fill_down: dict[str, str | None] = field(default_factory=dict)
    negated: bool = (
        False  # spend written as negative outflows (a bank statement's convention): signs reversed
    )

    def describe(self) -> dict:
        a = self.assignment
        value = a.first("value")
        date = a.first("date")
        out = self.layout.as_dict() | {
            "columns": a.as_list(),
            "decimal_mark": a.decimal_mark(value) if value else None,
            "date_order": a.date_order(date) if date else None,
            "currency_in_header": a.currencies.get(value) if value else None,
            "currency_in_values": a.profiles[value].currency if value and value in a.profiles else None,
            "currency_in_title": self.layout.title_currency,
        }
        if self.layout.notes:
            out["notes"] = list(self.layout.notes)
        if self.headings:
            out["group_headings"] = self.headings.describe()
        if self.fill_down:
            out["filled_down"] = sorted(self.fill_down)
        if self.negated:
            out["amounts_negated"] = True
        return out


@dataclass
class FileResult:
    """What reading one ledger file gave, accumulated block by block."""

    kind: str
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    lines: int = 0
    quarantined: int = 0
    blank: int = 0
    headings: int = 0
    tables: list[dict] = field(default_factory=list)

    @property
    def stats(self) -> dict:
        out = {
            "format": self.kind,
            "records_read": self.records,
            "lines": self.lines,
            "quarantined": self.quarantined,
            "blank_rows": self.blank,
        }
        if self.headings:
            out["group_heading_rows"] = self.headings
        if len(self.tables) == 1:
            out["layout"] = self.tables[0]
        elif self.tables:
            out["sheets"] = self.tables
        return out


# ---- cells -------------------------------------------------------------------------------------


_ASCII_ALNUM = np.zeros(256, dtype=bool)
_ASCII_ALNUM[[*range(48, 58), *range(65, 91), *range(97, 123)]] = True
_ASCII_GRAPHIC = np.zeros(256, dtype=bool)
_ASCII_GRAPHIC[33:127] = True  # printable ASCII but the space: no whitespace ends with such a byte


def _strip(column: pa.Array) -> pa.Array:
    """Trimmed text; a cell with no letter or digit ("", "-", "†††") is empty.

    Most cells start with an ASCII letter or digit and end with a printable ASCII character, so trimming
    leaves them as they are: they are found from their first and last byte and kept as they are, empty
    cells become missing, and only the others are trimmed and checked (all of them, when they are many).
    """
    head = _cell_kinds(column.slice(0, 256))  # a column of mostly other cells: all of it at once
    if head is None or (~(head[0] | head[1])).sum() > len(head[0]) // 4:
        return _strip_all(column)
    plain, empty = _cell_kinds(column)  # type: ignore[misc]  # not None: the head's buffers are the column's
    others = ~(plain | empty)
    count = int(others.sum())
    if count > len(column) // 4:
        return _strip_all(column)
    out = column
    if count:
        mask = pa.array(others)
        out = pc.replace_with_mask(out, mask, _strip_all(column.filter(mask)))
    if empty.any():
        out = pc.if_else(pa.array(empty), pa.nulls(len(out), pa.string()), out)
    return out


def _cell_kinds(column: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """(plain, empty) per value, read from the bytes: plain values are missing or start with an ASCII
    letter or digit and end with printable ASCII; empty ones are ``""``. None: not a plain string array."""
    if not pa.types.is_string(column.type) or not len(column):
        return None
    data = column.buffers()[2]
    if data is None or not data.size:
        return None
    n, first = len(column), column.offset
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[first : first + n + 1]
    data = np.frombuffer(data, dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    heads = data.take(np.where(filled, starts, 0))
    tails = data.take(np.maximum(ends - 1, 0))
    plain = filled & _ASCII_ALNUM.take(heads) & _ASCII_GRAPHIC.take(tails)
    empty = ~filled
    if column.null_count:
        missing = column.is_null().to_numpy(zero_copy_only=False)
        plain |= missing
        empty &= ~missing
    return plain, empty


def _strip_all(column: pa.Array) -> pa.Array:
    """:func:`_strip` of every value: trimmed, then only values not starting with a letter or digit are
    searched with a regular expression."""
    stripped = pc.utf8_trim_whitespace(column)
    starts = pc.fill_null(pc.utf8_is_alnum(pc.utf8_slice_codeunits(stripped, 0, 1)), True)
    others = np.flatnonzero(~starts.to_numpy(zero_copy_only=False))
    if not len(others):
        return stripped
    has = pc.match_substring_regex(stripped.take(pa.array(others)), r"[\p{L}\p{N}]").to_numpy(
        zero_copy_only=False
    )
    empty = np.zeros(len(stripped), dtype=bool)
    empty[others[~has]] = True
    return pc.if_else(pa.array(empty), pa.nulls(len(stripped), pa.string()), stripped)


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


def _sample(table: pa.Table) -> dict[str, list[str | None]]:
    """Up to SAMPLE_ROWS non-blank rows spread over the table, each column stripped."""
    stripped = {name: _strip(table.column(name).combine_chunks()) for name in table.column_names}
    if not stripped:
        return {}
    filled = None
    for column in stripped.values():
        valid = pc.is_valid(column)
        filled = valid if filled is None else pc.or_(filled, valid)
    keep = filled.to_numpy(zero_copy_only=False).copy()
    for column in stripped.values():  # totals are not what a column holds
        keep &= ~pc.fill_null(
            pc.match_substring_regex(column, TOTAL_ROW.pattern, ignore_case=True), False
        ).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(keep)
    if len(rows) > SAMPLE_ROWS:
        rows = rows[np.linspace(0, len(rows) - 1, SAMPLE_ROWS).astype(int)]
    index = pa.array(rows)
    return {name: column.take(index).to_pylist() for name, column in stripped.items()}


# ---- the plan of a table ---------------------------------------------------------------------------


@dataclass
class Headings:
    """Group headings: rows holding one label (a supplier, a department, a category) above the rows
    they group, as ERP reports print them ("ACME LTD" then its invoices). The label is carried down
    into the rows below it (into ``field``), and the heading rows are not records."""

    column: str  # where the labels are
    field: str  # what they are: supplier_name, office or description_context
    evidence: str
    count: int  # headings in the rows examined
    last: str | None = None  # the heading in force at the end of the block read last

    def describe(self) -> dict:
        return {"column": self.column, "field": self.field, "evidence": self.evidence}


def find_headings(table: pa.Table, assignment: Assignment) -> Headings | None:
    """Group headings in the first rows of a table, if it has them (see :class:`Headings`)."""
    value = assignment.first("value")
    if value is None or table.num_rows < 6:
        return None
    stripped = {name: _strip(table.column(name).combine_chunks()) for name in table.column_names}
    filled = np.zeros(table.num_rows, dtype=np.int32)
    for column in stripped.values():
        filled += pc.is_valid(column).to_numpy(zero_copy_only=False)
    amounts = stripped[value]
    has_amount = pc.is_valid(amounts).to_numpy(zero_copy_only=False)
    lone = np.flatnonzero((filled == 1) & ~has_amount)
    if len(lone) < 3:
        return None
    where = Counter()
    for name, column in stripped.items():
        where[name] = int(pc.sum(pc.is_valid(column.take(pa.array(lone)))).as_py() or 0)
    column = where.most_common(1)[0][0]
    rows = lone[pc.is_valid(stripped[column].take(pa.array(lone))).to_numpy(zero_copy_only=False)]
    labels = [v for v in stripped[column].take(pa.array(rows)).to_pylist() if not TOTAL_ROW.match(v)]
    if len(labels) < 3 or len(labels) < 0.02 * table.num_rows:
        return None
    followed = sum(1 for r in rows if r + 1 < table.num_rows and has_amount[r + 1])
    if followed < 0.8 * len(rows):
        return None  # labels not followed by the rows they head: notes or a footer, not groups
    evidence = content_evidence(profile_column(column, labels))
    supplier_fill = (
        assignment.profiles[assignment.first("supplier_name")].fill
        if assignment.first("supplier_name")
        else 0.0
    )
    options = [("description_context", evidence.get("description_context"))]
    if supplier_fill < 0.5:
        options.append(("supplier_name", evidence.get("supplier_name")))
    if not assignment.first("office"):
        options.append(("office", evidence.get("office")))
    options = [(f, e) for f, e in options if e is not None]
    if not options:
        return None
    field_name, ev = max(
        options, key=lambda fe: fe[1].score + (0.3 if fe[0] == "supplier_name" and fe[1].score >= 0.6 else 0)
    )
    why = f"{len(labels)} rows holding only a label in column {column!r}, each followed by the rows it heads; {ev.reason}"
    return Headings(column, field_name, why, len(labels))


def _group_headings(
    table: pa.Table, stripped: dict[str, pa.Array], plan: Plan, dropped: np.ndarray
) -> tuple[np.ndarray, pa.Array | None]:
    """(heading rows, the heading in force on every row) for a table with group headings."""
    n = table.num_rows
    if plan.headings is None:
        return np.zeros(n, dtype=bool), None
    h = plan.headings
    labels = stripped.get(h.column)
    if labels is None:
        labels = _strip(table.column(h.column).combine_chunks())
    filled = np.zeros(n, dtype=np.int32)
    for name in table.column_names:
        column = stripped.get(name)
        filled += (pc.is_valid(column) if column is not None else pc.is_valid(table.column(name))).to_numpy(
            zero_copy_only=False
        )
    value = plan.assignment.first("value")
    has_amount = pc.is_valid(stripped[value]).to_numpy(zero_copy_only=False) if value in stripped else 0
    heading = (filled == 1) & pc.is_valid(labels).to_numpy(zero_copy_only=False) & ~has_amount & ~dropped
    index = np.where(heading, np.arange(n), -1)
    np.maximum.accumulate(index, out=index)
    group = labels.take(pa.array(np.maximum(index, 0)))
    group = pc.if_else(pa.array(index >= 0), group, pa.scalar(h.last, pa.string()))
    if heading.any():
        h.last = labels[int(np.flatnonzero(heading)[-1])].as_py()
    return heading, group


def find_fill_down(table: pa.Table, assignment: Assignment) -> list[str]:
    """Columns printed once per group of rows ("ACME LTD" on its first invoice, empty on the next ones).

    Among the rows with an amount, such a column is empty on at least 30% of them, filled on the first,
    and its filled values (at least three) are all different: each group's value appears once. A column
    whose blanks are missing values (redacted payees) has recurring values and is left as it is.
    """
    value = assignment.first("value")
    if value is None or table.num_rows < 6:
        return []
    head = table.slice(0, 5_000)
    amounts = _strip(head.column(value).combine_chunks())
    rows = pa.array(np.flatnonzero(pc.is_valid(amounts).to_numpy(zero_copy_only=False)))
    if len(rows) < 6:
        return []
    out = []
    for name in FILL_DOWN_FIELDS:
        for column in assignment.columns_of(name):
            values = _strip(head.column(column).combine_chunks()).take(rows)
            filled = [v for v in values.to_pylist() if v is not None and not TOTAL_ROW.match(v)]
            blank = len(values) - len(filled)
            if (
                values[0].is_valid
                and len(filled) >= 3
                and blank >= 0.3 * len(values)
                and len(set(filled)) >= 0.9 * len(filled)
            ):
                out.append(column)
    return out


def plan_table(raw: RawTable, layout: Layout, mapping: Mapping, path: Path, refuse: bool = True) -> Plan:
    """Assign the columns of a table from its first block; refuse it if nothing in it can be screened
    (``refuse=False``: plan it anyway, for a person to correct in a preview)."""
    for name, cols in mapping.columns.items():
        missing = [c for c in cols if c not in layout.headers]
        if missing:
            raise IngestError(
                f"{path}: mapping names column(s) {missing} for {name}, not in the file; "
                f"columns found: {layout.headers}"
            )
    if layout.sample is not None:  # a CSV: the rows of its first megabyte, whatever the block size
        table = pa.table(
            {
                h: pa.array([None if r[i].strip() in NULLS else r[i] for r in layout.sample], pa.string())
                for i, h in enumerate(layout.headers)
            }
        )
    else:
        table = raw.table
    sample = _sample(table)
    assignment = assign_columns(sample, mapping, headerless=layout.header_row is None)
    fields = set(assignment.fields) | set(mapping.constants)
    has_what = bool(fields & set(WHAT_FIELDS))
    has_who = bool(fields & {"supplier_name", "supplier_id"}) and "value" in fields
    if refuse and not (has_what or has_who):
        where = f" (sheet {layout.sheet!r})" if layout.sheet else ""
        raise IngestError(
            f"{path}{where}: nothing in it can be screened: no column saying what was bought "
            f"(description, category, classification) and no supplier with an amount was recognised; "
            f"columns found: {layout.headers}.\n{MAPPING_HELP}"
        )
    checks = build_checks(layout.headers, assignment, sample, layout.delimiter or ",")
    headings = None if mapping.columns else find_headings(table.slice(0, 20_000), assignment)
    fill = [] if mapping.columns or headings else find_fill_down(table, assignment)
    negated = _outflows_negative(sample, assignment, mapping)
    return Plan(layout, assignment, checks, headings=headings, fill_down=dict.fromkeys(fill), negated=negated)


NEGATIVE_SHARE = 0.9
NEGATED_NOTE = (
    "amounts are written as negative outflows (90% or more below zero, as bank statements write payments): "
    "their signs were reversed, so spend is positive and refunds negative"
)


def _outflows_negative(sample: dict[str, list[str | None]], assignment: Assignment, mapping: Mapping) -> bool:
    """Whether the amounts are written as negative outflows: at least 90% of them (of ten or more) below zero."""
    value = assignment.first("value")
    if value is None or "value" in mapping.columns:
        return False
    decimal = mapping.decimal or assignment.decimal_mark(value)
    amounts = [parse_amount(v, decimal, mapping.thousands)[0] for v in sample.get(value, []) if v]
    amounts = [a for a in amounts if a]
    return len(amounts) >= 10 and sum(a < 0 for a in amounts) >= NEGATIVE_SHARE * len(amounts)


# ---- rows ------------------------------------------------------------------------------------------


def _with_repairs(raw: RawTable, plan: Plan, issues_rows: list, quarantined: list) -> RawTable:
    """Add the rows that can be repaired with certainty; the others go to ``quarantined`` with why."""
    if not raw.malformed:
        return raw
    width = len(plan.layout.headers)
    fixed_cells, fixed_rows = [], []
    for number, cells in raw.malformed:
        cells = [c if c is not None else "" for c in cells]
        repaired, how = repair(cells, plan.checks)
        if repaired is None:
            quarantined.append(
                (number, f"{len(cells)} fields where the header has {width}; not repaired ({how})")
            )
        else:
            fixed_cells.append(repaired)
            fixed_rows.append(number)
            issues_rows.append((number, ROW_REPAIRED(how=how)))
    if not fixed_cells:
        return raw
    extra = pa.table(
        {
            h: pa.array([row[i] if row[i].strip() else None for row in fixed_cells], pa.string())
            for i, h in enumerate(plan.layout.headers)
        }
    )
    table = pa.concat_tables([raw.table.cast(extra.schema), extra])
    rows = np.concatenate([raw.rows.astype(np.int64), np.array(fixed_rows, dtype=np.int64)])
    order = np.argsort(rows, kind="stable")
    return RawTable(table.take(pa.array(order)), rows[order], [], raw.notes, raw.sheet)


def _record_names(numbers: pa.Array, sheet: str | None) -> pa.Array:
    prefix = f"{sheet} row " if sheet else "row "
    return pc.binary_join_element_wise(prefix, numbers, "").cast(pa.string())


def _parse_numbers(
    raw: pa.Array, field_name: str, decimal: str | None, thousands: str | None, issues: Issues
):
    """Floats and the currency written beside them, parsing distinct values only."""
    if decimal in (None, ".") and thousands is None:
        try:
            return pc.cast(raw, pa.float64()), pa.nulls(len(raw), pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # not plain numbers ("1.200,00 €"): parse each distinct text below
    values, _, _ = map_distinct(raw, lambda t: parse_amount(t, decimal, thousands)[0], pa.float64())
    currencies, _, _ = map_distinct(raw, lambda t: parse_amount(t, decimal, thousands)[1], pa.string())
    for value, rows in failed_rows(raw, values).items():
        issues.add(rows, field_name, NOT_A_NUMBER(value=repr(value)))
    return values, currencies


def _parse_dates(raw: pa.Array, field_name: str, date_format: str | None, order: str | None, issues: Issues):
    serials = field_name in ("date", "end_date")
    parsed, _, _ = map_distinct(raw, lambda t: parse_date(t, date_format, order, serials), pa.date32())
    for value, rows in failed_rows(raw, parsed).items():
        issues.add(rows, field_name, NOT_A_DATE(value=repr(value)))
    return parsed


def _mask(array) -> np.ndarray:
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def _says_total(column: pa.Array) -> np.ndarray:
    return _mask(pc.match_substring_regex(column, TOTAL_ROW.pattern, ignore_case=True))


def _row_filters(
    table: pa.Table, stripped: dict[str, pa.Array], col: dict[str, list[pa.Array]], headers: list[str]
):
    """(blank rows, repeated header rows, total rows) as boolean arrays.

    Vectorised and cheap on the common row: the total pattern is only tried on the supplier and
    description columns, and on the other columns of rows that have neither; the header only on rows
    whose first column repeats its header.
    """
    n = table.num_rows
    blank = np.ones(n, dtype=bool)
    for name in table.column_names:
        column = stripped.get(name)
        blank &= ~(pc.is_valid(column) if column is not None else pc.is_valid(table.column(name))).to_numpy(
            zero_copy_only=False
        )
    repeated = np.zeros(n, dtype=bool)
    named = [h for h in headers if not h.startswith("column ")]
    if named:
        first = named[0]
        candidates = np.flatnonzero(_mask(pc.equal(pc.utf8_trim_whitespace(table.column(first)), first)))
        if len(candidates):
            index = pa.array(candidates)
            hits = np.zeros(len(candidates), dtype=np.int32)
            for h in named:
                hits += _mask(pc.equal(pc.utf8_trim_whitespace(table.column(h).take(index)), h))
            repeated[candidates[hits >= max(2, len(named) // 2)]] = True
    key = [c for f in ("supplier_name", "description", "description_context") for c in col.get(f, [])]
    has_key = np.zeros(n, dtype=bool)
    total = np.zeros(n, dtype=bool)
    for column in key:
        filled = pc.is_valid(column).to_numpy(zero_copy_only=False)
        says = _says_total(column)
        total |= says
        has_key |= filled & ~says
    rest = np.flatnonzero(~has_key & ~blank)
    if len(rest):
        index = pa.array(rest)
        for name in table.column_names:
            column = stripped.get(name)
            column = column if column is not None else table.column(name).combine_chunks()
            total[rest] |= _says_total(column.take(index))
    total &= ~has_key
    return blank, repeated, total


def ledger_lines(
    raw: RawTable, plan: Plan, path: Path, mapping: Mapping, source_file: str
) -> tuple[pa.Table, list[Problem], dict]:
    """Lines of one block of a table's rows; returns (lines, problems, counts)."""
    repaired_notes: list[tuple[int, str]] = []
    bad_rows: list[tuple[int, str]] = []
    bad_rows.extend(raw.bad)
    raw = _with_repairs(raw, plan, repaired_notes, bad_rows)
    table, a = raw.table, plan.assignment
    sheet = raw.sheet if plan.multi_sheet else None
    used = {c for cols in a.fields.values() for c in cols}
    stripped = {
        name: _strip(table.column(name).combine_chunks()) for name in table.column_names if name in used
    }
    col = {f: [stripped[c] for c in cols if c in stripped] for f, cols in a.fields.items()}
    n0 = table.num_rows
    blank, repeated, total = _row_filters(table, stripped, col, plan.layout.headers)
    problems: list[Problem] = [Problem(source_file, "whole file", None, note, "kept") for note in raw.notes]
    prefix = f"{sheet} row " if sheet else "row "
    for number, why in bad_rows:
        problems.append(Problem(source_file, f"{prefix}{number}", None, why, "quarantined"))
    heading, group = _group_headings(table, stripped, plan, blank | repeated | total)
    drop = blank | repeated | total | heading
    for mask, why in (
        (repeated, "the header row repeated (a page break in the export), not a transaction"),
        (total & ~repeated, "a total or subtotal row, not a transaction"),
    ):
        for r in np.flatnonzero(mask & ~blank):
            problems.append(Problem(source_file, f"{prefix}{int(raw.rows[r])}", None, why, "quarantined"))
    keep = ~drop
    counts = {
        "records": int(n0 - blank.sum() - heading.sum()) + len(bad_rows),
        "blank": int(blank.sum()),
        "headings": int(heading.sum()),
    }
    counts["quarantined"] = len(bad_rows) + int((drop & ~blank & ~heading).sum())
    if not keep.all():
        index = pa.array(np.flatnonzero(keep))
        stripped = {name: column.take(index) for name, column in stripped.items()}
        col = {f: [c.take(index) for c in cols] for f, cols in col.items()}
        group = group.take(index) if group is not None else None
        rows = raw.rows[keep]
    else:
        rows = raw.rows
    n = len(rows)
    filled_down: dict[str, np.ndarray] = {}
    for column in plan.fill_down:  # a value printed once per group: carried down the rows below it
        values = stripped[column]
        before = pc.is_null(values).to_numpy(zero_copy_only=False)
        last = plan.fill_down[column]
        if last is not None and n and not values[0].is_valid:
            values = pa.concat_arrays([pa.array([last], pa.string()), values.slice(1)])
        values = pc.fill_null_forward(values)
        after = pc.is_valid(values).to_numpy(zero_copy_only=False)
        filled_down[column] = np.flatnonzero(before & after)
        if n:
            plan.fill_down[column] = values[n - 1].as_py()
        stripped[column] = values
        for f, cols in a.fields.items():
            if column in cols:
                col[f][[c for c in cols if c in stripped].index(column)] = values
    group_filled = None
    if group is not None:  # each row takes the group heading above it
        target = plan.headings.field
        if target == "description_context" or not col.get(target):
            col.setdefault(target, []).append(group)
        else:
            group_filled = np.flatnonzero(
                pc.and_(pc.is_null(col[target][0]), pc.is_valid(group)).to_numpy(zero_copy_only=False)
            )
            col[target][0] = pc.coalesce(col[target][0], group)
    numbers = pc.cast(pa.array(rows, pa.int64()), pa.string())
    records = _record_names(numbers, sheet)
    issues = Issues(source_file, records)
    row_index = {int(r): i for i, r in enumerate(rows)} if repaired_notes else {}
    for number, note in repaired_notes:
        if number in row_index:
            issues.add([row_index[number]], None, note)
    if group_filled is not None and len(group_filled):
        issues.add(group_filled, plan.headings.field, FROM_HEADING())
    for column, filled_rows in filled_down.items():
        if len(filled_rows):
            field_name = next(f for f, cols in a.fields.items() if column in cols)
            issues.add(filled_rows, field_name, FILLED_DOWN())
    out: dict[str, pa.Array] = {}
    for name in TEXT_FIELDS:
        if col.get(name):
            out[name] = _join(col[name])
    for name, value in mapping.constants.items():
        if name in out:  # a constant fills the gaps of a column
            out[name] = pc.fill_null(out[name], value)
        elif name not in ("value", "quantity", "date", "end_date", "description"):
            out[name] = pa.array([value] * n, pa.string())
    description = _join(col.get("description", []) + col.get("description_context", []))
    if description is None and "description" in mapping.constants:
        description = pa.array([mapping.constants["description"]] * n, pa.string())
    out["description"] = description
    written_currency = pa.nulls(n, pa.string())
    value_col = a.first("value")
    if col.get("value"):
        decimal = mapping.decimal or a.decimal_mark(value_col)
        out["value"], written_currency = _parse_numbers(
            col["value"][0], "value", decimal, mapping.thousands, issues
        )
        if plan.negated:
            out["value"] = pc.negate(out["value"])
    if col.get("quantity"):
        decimal = mapping.decimal or a.decimal_mark(a.first("quantity"))
        out["quantity"], _ = _parse_numbers(
            col["quantity"][0], "quantity", decimal, mapping.thousands, issues
        )
    for name in ("date", "end_date"):
        if col.get(name):
            order = mapping.date_order or a.date_order(a.first(name))
            out[name] = _parse_dates(col[name][0], name, mapping.date_format, order, issues)
    fallback = (
        (a.currencies.get(value_col) if value_col else None)
        or mapping.constants.get("currency")
        or plan.layout.title_currency
    )
    currency = out.get("currency", pa.nulls(n, pa.string()))
    currency = pc.coalesce(currency, written_currency)
    if fallback:
        currency = pc.fill_null(currency, fallback)
    out["currency"] = currency
    _apply_defaults(out, n, mapping, issues)
    if not pc.any(pc.is_valid(out["currency"])).as_py():
        out.pop("currency")
    code_col = a.first("classification_code")
    scheme = header_scheme(code_col) if code_col and "classification_scheme" not in out else None
    if (
        scheme and "classification_code" in out
    ):  # "UNSPSC code", "Merchant category": the header names the scheme
        out["classification_scheme"] = pc.if_else(
            pc.is_valid(out["classification_code"]), pa.scalar(scheme), pa.nulls(n, pa.string())
        )
    if "cpv" in out:
        out["classification_code"] = out.get("classification_code") or out["cpv"]
        out["classification_scheme"] = out.get("classification_scheme") or pa.array(["CPV"] * n, pa.string())
    # line_id: left to finish() (fairprocure.ingest.identity): the record id, else the content fingerprint.
    out["source_file"] = pa.array([source_file] * n, pa.string())
    out["source_record"] = records
    lines = finish(out, n, issues)
    lines, nothing = _quarantine(lines, issues)
    counts["quarantined"] += nothing
    problems.extend(issues.problems)
    return lines, problems, counts


def _apply_defaults(out: dict[str, pa.Array], n: int, mapping: Mapping, issues: Issues) -> None:
    """The run's assumed currency and office country, where the data say nothing; said on each line."""
    if mapping.assumed_currency and "value" in out:
        code, source = mapping.assumed_currency
        missing = pc.and_(pc.is_null(out["currency"]), pc.is_valid(out["value"]))
        rows = np.flatnonzero(missing.to_numpy(zero_copy_only=False))
        if len(rows):
            out["currency"] = pc.fill_null(out["currency"], code)
            issues.add(rows, "currency", ASSUMED_CURRENCY(currency=code, source=source))
    if mapping.office_country:
        code, source = mapping.office_country
        current = out.get("delivery_country", pa.nulls(n, pa.string()))
        rows = np.flatnonzero(pc.is_null(current).to_numpy(zero_copy_only=False))
        if len(rows):
            out["delivery_country"] = pc.fill_null(current, code)
            issues.add(rows, "delivery_country", OFFICE_COUNTRY(country=code, source=source))


def _quarantine(lines: pa.Table, issues: Issues) -> tuple[pa.Table, int]:
    """Drop rows with nothing to screen, recording each.

    A row can be screened when it says what was bought (a description or a classification code) or
    whom was paid how much (a supplier and an amount); an amount alone (a subtotal) cannot.
    """
    what = pc.or_(pc.is_valid(lines["description"]), pc.is_valid(lines["classification_code"]))
    who = pc.or_(pc.is_valid(lines["supplier_name"]), pc.is_valid(lines["supplier_id"]))
    ok = pc.or_(what, pc.and_(who, pc.is_valid(lines["value"])))
    bad = np.flatnonzero(pc.invert(ok).to_numpy(zero_copy_only=False))
    for r in bad:
        issues.problems.append(
            Problem(
                issues.file,
                issues.record_name(int(r)),
                None,
                "nothing to screen: no description or classification, and no supplier with an amount",
                "quarantined",
            )
        )
    return (lines.filter(ok) if len(bad) else lines), len(bad)


# ---- files -------------------------------------------------------------------------------------


def _tables(path: Path, kind: str, mapping: Mapping, block_bytes: int | None, exact: bool):
    """(layout, iterator of blocks) for each table of the file."""
    if kind in ("xlsx", "json"):
        read = xlsx_tables if kind == "xlsx" else json_tables
        return [(layout, iter([raw])) for layout, raw in read(path, mapping)]
    layout = csv_layout(path, mapping)
    if exact:
        return [(layout, python_blocks(path, layout))]
    if block_bytes is None:
        return [(layout, iter(read_csv_whole(path, layout)))]
    return [(layout, arrow_csv_blocks(path, layout, block_bytes))]


PARALLEL_BLOCKS = 4  # a CSV ledger of at least this many blocks is read in worker processes
Sink = Callable[[int, pa.Table], None]  # (a block's number in the file from 0, its lines): stores them


def _read_block(read: Callable, sink: Sink | None, item: tuple[int, RawTable]) -> tuple:
    """``read`` one numbered block; with a ``sink``, its lines go there (in this process) and an empty
    table with their count in ``counts["lines"]`` goes back."""
    number, raw = item
    lines, problems, counts = read(raw)
    if sink is None:
        return lines, problems, counts
    sink(number, lines)
    empty = lines.schema.empty_table()  # not lines.slice(0, 0): a slice is pickled with all its buffers
    return empty, problems, {**counts, "lines": lines.num_rows}


def iter_ledger(
    path: Path,
    kind: str,
    mapping: Mapping,
    source_file: str,
    result: FileResult,
    block_bytes: int | None = None,
    exact: bool = False,
    sink: Sink | None = None,
) -> Iterator[pa.Table]:
    """Lines of a ledger, block by block; ``result`` collects problems and counts as they come.

    ``block_bytes``: read a CSV in blocks of that size (streaming; ``pa.ArrowInvalid`` is raised on a
    malformed row, and the caller starts again with ``exact=True``); None: read it whole.
    ``sink``: each block's lines are handed to it by the process that read the block (a worker process
    for a large CSV: the lines are stored where they were made rather than sent back), and the block
    yields an empty table. When this generator ends or fails, every block given to it has been stored.
    """
    tables = _tables(path, kind, mapping, block_bytes, exact)
    errors: list[IngestError] = []
    if kind in ("xlsx", "json"):  # every sheet is in memory: find which hold a ledger before reading any
        planned = []
        for layout, blocks in tables:
            blocks = list(blocks)
            try:
                planned.append((layout, blocks, plan_table(blocks[0], layout, mapping, path)))
            except IngestError as error:
                errors.append(error)
        multi = len(planned) > 1
        work = [
            (layout, iter(blocks), dataclasses.replace(p, multi_sheet=multi)) for layout, blocks, p in planned
        ]
    else:
        work = [(layout, blocks, None) for layout, blocks in tables]
    used = 0
    many = block_bytes is not None and kind == "csv" and path.stat().st_size >= PARALLEL_BLOCKS * block_bytes
    numbers = itertools.count()  # blocks numbered through the file, whichever sheet they come from
    for layout, blocks, given in work:
        blocks = iter(blocks)
        first = next(blocks, None)
        if first is None:
            continue
        try:
            plan = given or plan_table(first, layout, mapping, path)
        except IngestError as error:
            errors.append(error)
            continue
        result.tables.append(plan.describe())
        if plan.negated:
            result.problems.append(Problem(source_file, "whole file", "value", NEGATED_NOTE, "kept"))
        used += 1
        assigned = {c for cols in plan.assignment.fields.values() for c in cols}
        unused_empty = {
            c
            for c in first.table.column_names
            if c not in assigned and first.table[c].null_count == first.table.num_rows
        }
        late: deque[list[Problem]] = deque([[]])  # per block, in order: columns that start having values

        def rest(
            blocks: Iterator[RawTable] = blocks, unused_empty: set[str] = unused_empty, late: deque = late
        ) -> Iterator[tuple[int, RawTable]]:
            for raw in blocks:
                late.append(_late_columns(raw, unused_empty, source_file))
                yield next(numbers), raw

        lines_of = functools.partial(
            ledger_lines, plan=plan, path=path, mapping=mapping, source_file=source_file
        )
        read = functools.partial(_read_block, lines_of, sink)
        # A block's lines depend on that block alone unless a value is carried from one block to the next
        # (a column filled down, group headings): then the blocks are read in turn, else in worker processes.
        carried = bool(plan.fill_down) or plan.headings is not None
        # The first block goes to the workers too: read here first, it kept them waiting.
        numbered = itertools.chain([(next(numbers), first)], rest())
        others = fork_imap(read, numbered, None if many and not carried else 1)
        try:
            for lines, problems, counts in others:
                result.problems.extend(late.popleft())
                result.problems.extend(problems)
                result.records += counts["records"]
                result.quarantined += counts["quarantined"]
                result.blank += counts["blank"]
                result.headings += counts["headings"]
                result.lines += counts.get("lines", lines.num_rows)
                yield lines
        finally:
            others.close()  # stopped early: the workers finish (and store) the blocks they were given first
    if not used:
        raise errors[0] if errors else IngestError(f"{path}: no table found")
    for error in errors:  # a sheet that is not a ledger (notes, a pivot table) beside ones that are
        message = str(error).splitlines()[0].removeprefix(f"{path}")
        result.problems.append(Problem(source_file, "whole file", None, f"sheet left out{message}", "kept"))


def _late_columns(raw: RawTable, unused_empty: set[str], source: str) -> list[Problem]:
    """Columns empty in the first block were not recognised; say so where they start having values."""
    found = sorted(c for c in unused_empty if raw.table[c].null_count < raw.table.num_rows)
    unused_empty.difference_update(found)
    return [
        Problem(
            source,
            f"rows from {raw.first_row}",
            column,
            "column was empty in the first block read, so it was not recognised; "
            "name it in a mapping file to use it",
            "kept",
        )
        for column in found
    ]


def read_ledger(
    path: Path, kind: str, mapping: Mapping, source_file: str
) -> tuple[pa.Table, list[Problem], dict]:
    """Read one CSV/XLSX ledger into canonical lines; returns (lines, problems, stats)."""
    result = FileResult(kind)
    try:
        tables = list(iter_ledger(path, kind, mapping, source_file, result))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        result = FileResult(kind)
        tables = list(iter_ledger(path, kind, mapping, source_file, result, exact=True))
    from fairprocure.schema import LINE_SCHEMA

    lines = pa.concat_tables(tables) if tables else LINE_SCHEMA.empty_table()
    return lines, result.problems, result.stats


__all__ = ["BLOCK_BYTES", "FileResult", "Plan", "iter_ledger", "ledger_lines", "plan_table", "read_ledger"]
