"""How a ledger will be read, before screening it: ``fairprocure inspect`` and the web upload preview.

:func:`inspect_ledger` finds the table and recognises the columns exactly as screening does (the same
:func:`~fairprocure.ingest.ledger.plan_table`), and reads the first rows into lines. The result says,
per table, the header row, each column's field with its confidence, evidence and sample values, the
amounts' decimal mark and currency, the dates' day/month order, and a few lines as they will be
screened. :meth:`Inspection.mapping_toml` writes the mapping file that pins all of it down, ready to edit
and pass back with ``--mapping`` (or store for an office's next monthly export).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.jsontable import json_tables
from fairprocure.ingest.ledger import Plan, ledger_lines, plan_table
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError
from fairprocure.ingest.tabular import RawTable, csv_layout, python_blocks, read_csv_whole, xlsx_tables

PREVIEW_LINES = 5
FIELD_LABELS = {
    "supplier_name": "supplier", "supplier_id": "supplier id", "value": "amount", "currency": "currency",
    "date": "date", "end_date": "end date", "description": "description",
    "description_context": "description (category)", "office": "office", "record_id": "record id",
    "contract_id": "contract", "classification_code": "classification code", "cpv": "CPV code",
    "classification_scheme": "classification scheme", "supplier_country": "supplier country",
    "origin_country": "country of origin", "delivery_country": "place of performance", "quantity": "quantity",
    "procurement_method": "procurement method",
}  # fmt: skip
ORDER_WORDS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}


@dataclass
class TableView:
    """One table of the file as it will be read."""

    plan: Plan
    preview: list[dict] = field(default_factory=list)  # the first lines, as screened
    rows: int = 0  # data rows in the part read (all of it unless the file is large)

    @property
    def layout(self):
        return self.plan.layout

    @property
    def assignment(self):
        return self.plan.assignment


@dataclass
class Inspection:
    path: Path
    kind: str
    tables: list[TableView]
    skipped: list[str] = field(default_factory=list)  # sheets that hold no ledger, and why

    @property
    def screenable(self) -> bool:
        """Whether lines can be screened as the first table is read: something says what was bought,
        or a supplier and an amount were found."""
        fields = set(self.tables[0].assignment.fields)
        what = {"description", "description_context", "classification_code", "cpv"}
        return bool(fields & what) or ("value" in fields and bool(fields & {"supplier_name", "supplier_id"}))

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "format": self.kind,
            "tables": [t.plan.describe() | {"preview": t.preview} for t in self.tables],
            "skipped": self.skipped,
        }

    def text(self) -> str:
        """The layout in words, for a terminal."""
        out = []
        for view in self.tables:
            layout, a = view.layout, view.assignment
            where = f"{self.path.name}" + (f", sheet {layout.sheet!r}" if layout.sheet else "")
            if self.kind == "csv":
                delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(
                    layout.delimiter, layout.delimiter
                )
                where += f" — CSV, encoding {layout.encoding}, {delimiter}-separated"
            elif self.kind == "json":
                where += f" — JSON, {view.rows:,} records at {layout.records_at!r}"
            else:
                where += " — spreadsheet"
            out.append(where)
            if self.kind == "json":
                out.append("  Each record is a row, each key a column (nested keys joined with '.').")
            elif layout.header_row is None:
                out.append("  No header row: columns recognised by their content alone.")
            else:
                rows = "rows" if layout.header_rows > 1 else "row"
                first = layout.header_row - layout.header_rows + 1
                header = (
                    f"row {layout.header_row}"
                    if layout.header_rows == 1
                    else f"{rows} {first}-{layout.header_row}"
                )
                above = f" ({first - 1} title row(s) above it skipped)" if first > 1 else ""
                out.append(f"  Header on {header}{above}; data from row {layout.first_data_row}.")
            value, date = a.first("value"), a.first("date")
            if value:
                p = a.profiles.get(value)
                mark = {",": "comma", ".": "point"}.get(p.decimal_mark if p else None, "not needed")
                currency = a.currencies.get(value) or (p.currency if p else None) or layout.title_currency
                named_in = "header" if a.currencies.get(value) else "amounts" if p and p.currency else "title"
                where_currency = (
                    f"{currency} (named in the {named_in})"
                    if currency
                    else (
                        "in column " + repr(a.first("currency"))
                        if a.first("currency")
                        else "not given: pass --currency"
                    )
                )
                out.append(f"  Amounts: decimal {mark}; currency {where_currency}.")
            if date:
                order = a.date_order(date)
                out.append(f"  Dates: {ORDER_WORDS.get(order, 'ISO or written out')}.")
            if view.plan.headings:
                h = view.plan.headings
                label = FIELD_LABELS.get(h.field, h.field)
                out.append(
                    f"  Group headings in column {h.column!r} carried down into the {label} of the rows below."
                )
            if view.plan.negated:
                out.append("  Amounts written as negative outflows: signs reversed (spend positive).")
            if view.plan.fill_down:
                columns = ", ".join(repr(c) for c in view.plan.fill_down)
                out.append(f"  Printed once per group, carried down the rows below: {columns}.")
            out.append("")
            width = max((len(c.column) for c in a.choices), default=10)
            width = min(max(width, 6), 40)
            out.append(f"  {'column':{width}}  {'field':24} {'confidence':12} sample values")
            for choice in a.choices:
                label = FIELD_LABELS.get(choice.field, "(not used)") if choice.field else "(not used)"
                conf = f"{choice.level} {choice.confidence:.2f}" if choice.field else ""
                samples = " | ".join(choice.samples[:3])
                out.append(f"  {choice.column[:width]:{width}}  {label:24} {conf:12} {samples[:70]}")
            if view.preview:
                out.append("")
                out.append(f"  First lines as they will be screened ({view.rows:,} data rows read):")
                for line in view.preview:
                    amount = (
                        ""
                        if line["value"] is None
                        else f"{line['value']:,.2f} {line['currency'] or ''}".strip()
                    )
                    out.append(
                        f"    {line['source_record']}: {line['supplier_name'] or '(no supplier)'} · {amount or '(no amount)'}"
                        f" · {line['date'] or '(no date)'} · {(line['description'] or '(no description)')[:60]}"
                    )
            out.append("")
        for note in self.skipped:
            out.append(f"Left out: {note}")
        return "\n".join(out).rstrip() + "\n"

    def mapping_dict(self, table: int = 0) -> dict:
        """The mapping pinning down how table ``table`` is read, as a TOML mapping file parses to."""
        view = self.tables[table]
        layout, a = view.layout, view.assignment
        out: dict = {}
        if layout.sheet and len(self.tables) == 1:
            out["sheet"] = layout.sheet
        if self.kind != "json":
            out["header_row"] = layout.header_row or 0
        if self.kind == "csv":
            out["encoding"], out["delimiter"] = layout.encoding, layout.delimiter
        value, date = a.first("value"), a.first("date")
        if value and a.decimal_mark(value):
            out["decimal"] = a.decimal_mark(value)
        if date and a.date_order(date):
            out["date_order"] = a.date_order(date)
        out["unused"] = [c.column for c in a.choices if not c.field]
        fields = dict(a.fields)
        described = fields.pop("description", []) + fields.pop("description_context", [])
        if described:
            fields["description"] = described
        out["columns"] = {
            name: cols if name == "description" or len(cols) > 1 else cols[0]
            for name, cols in ((n, fields[n]) for n in _field_order(fields))
        }
        return out

    def mapping_toml(self, table: int = 0) -> str:
        """A mapping file pinning down how table ``table`` is read, with the evidence as comments."""
        view = self.tables[table]
        layout, a = view.layout, view.assignment
        lines = [
            f"# How fairprocure reads {self.path.name}: written by `fairprocure inspect` on {dt.date.today().isoformat()}.",
            "# Each column's field was recognised by its header and content (confidence and evidence in the",
            "# comments). Correct what is wrong, then screen with: fairprocure screen FILE --mapping THIS_FILE",
            "",
        ]
        if layout.sheet and len(self.tables) == 1:
            lines.append(f"sheet = {_q(layout.sheet)}")
        if self.kind != "json":
            lines.append(
                f"header_row = {layout.header_row or 0}"
                + (
                    "  # 0: the file has no header row"
                    if layout.header_row is None
                    else "  # 1-based row of the column names"
                )
            )
        if self.kind == "csv":
            lines.append(f"encoding = {_q(layout.encoding)}")
            lines.append(f"delimiter = {_q(layout.delimiter)}")
        value, date = a.first("value"), a.first("date")
        if value and a.decimal_mark(value):
            lines.append(f"decimal = {_q(a.decimal_mark(value))}  # decimal mark of amounts")
        if date and a.date_order(date):
            lines.append(f"date_order = {_q(a.date_order(date))}  # {ORDER_WORDS[a.date_order(date)]}")
        unused = [c.column for c in a.choices if not c.field]
        lines.append(f"unused = {_list(unused)}  # columns left out")
        lines.append("")
        lines.append("[columns]")
        fields = dict(a.fields)
        described = fields.pop("description", []) + fields.pop("description_context", [])
        if described:  # description columns, then category columns: the order they are joined in
            fields["description"] = described
        for name in _field_order(fields):
            cols = fields[name]
            value_text = (
                _q(cols[0])
                if len(cols) == 1 and name not in ("description", "description_context")
                else _list(cols)
            )
            lines.append(f"{name} = {value_text}")
            for col in cols:
                choice = next(c for c in a.choices if c.column == col)
                lines.append(f"  # {col}: {choice.level} ({choice.confidence:.2f}) — {choice.evidence[:150]}")
        lines.append("")
        lines.append("[constants]")
        currency = (
            (a.currencies.get(value) if value else None)
            or (a.profiles[value].currency if value and value in a.profiles else None)
            or layout.title_currency
        )
        if a.first("currency"):
            lines.append('# currency = "EUR"  # fills the gaps of the currency column')
        elif currency:
            lines.append(f"currency = {_q(currency)}  # found in the file (header, amounts or title)")
        else:
            lines.append('# currency = "GBP"  # the currency of the amounts: the file does not say')
        if not a.first("delivery_country"):
            lines.append(
                '# delivery_country = "GBR"  # the place of performance (office\'s country), if not in the file'
            )
        if not a.first("office"):
            lines.append('# office = "Vienna"  # the office that bought, for every line')
        return "\n".join(lines) + "\n"


def _field_order(fields: dict[str, list[str]]) -> list[str]:
    order = list(FIELD_LABELS)
    return sorted(fields, key=lambda f: order.index(f) if f in order else len(order))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def inspect_ledger(
    path: str | Path, mapping: Mapping | None = None, preview: int = PREVIEW_LINES, refuse: bool = True
) -> Inspection:
    """How a CSV or XLSX ledger will be read (raises IngestError if it cannot be).

    ``refuse=False``: when no table holds anything recognisable, the first is still described (its
    columns "not used"), for a person to say which column is what; :attr:`Inspection.screenable` tells.
    """
    path = Path(path)
    mapping = mapping or Mapping()
    kind = detect_format(path)
    if kind not in ("csv", "xlsx", "json"):
        raise IngestError(
            f"{path}: not a CSV, spreadsheet or JSON ledger (inspect reads ledgers; OCDS needs no mapping)"
        )
    if kind in ("xlsx", "json"):
        tables = (xlsx_tables if kind == "xlsx" else json_tables)(path, mapping)
    else:
        layout = csv_layout(path, mapping)
        if path.stat().st_size <= 64 << 20:
            blocks = read_csv_whole(path, layout)
        else:
            blocks = [next(iter(python_blocks(path, layout)))]
        tables = [(layout, _merge(blocks))]
    views, skipped, errors = [], [], []
    for layout, raw in tables:
        try:
            plan = plan_table(raw, layout, mapping, path)
        except IngestError as error:
            errors.append(error)
            where = f"sheet {layout.sheet!r}" if layout.sheet else str(path.name)
            skipped.append(f"{where}: {str(error).splitlines()[0].split(': ', 1)[-1]}")
            continue
        plan.multi_sheet = len(tables) > 1
        head = RawTable(
            raw.table.slice(0, preview * 4), raw.rows[: preview * 4], raw.malformed[:preview], [], raw.sheet
        )
        lines, _, _ = ledger_lines(head, plan, path, mapping, str(path))
        rows = [
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in line.items()}
            for line in lines.slice(0, preview).to_pylist()
        ]
        views.append(TableView(plan, rows, raw.table.num_rows + len(raw.malformed)))
    if not views and not refuse:
        layout, raw = tables[0]
        plan = plan_table(raw, layout, mapping, path, refuse=False)
        views.append(TableView(plan, [], raw.table.num_rows + len(raw.malformed)))
        skipped = skipped[1:]
    if not views:
        raise errors[0]
    return Inspection(path, kind, views, skipped)


def _merge(blocks: list[RawTable]) -> RawTable:
    import numpy as np
    import pyarrow as pa

    if len(blocks) == 1:
        return blocks[0]
    table = pa.concat_tables([b.table for b in blocks])
    rows = np.concatenate([b.rows for b in blocks])
    malformed = [m for b in blocks for m in b.malformed]
    notes = [n for b in blocks for n in b.notes]
    return RawTable(table, rows, malformed, notes)


def corrected(mapping: dict, fields: dict[str, str | None]) -> dict:
    """``mapping`` (a mapping file's content) with a person's corrections: column -> field, None to leave it out.

    A column moved to a single-valued field takes it from the column that had it (which is then left
    out); a column set to "description" joins the description columns at the end.
    """
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in mapping.items() if k != "columns"}
    columns = {f: list(c) if isinstance(c, list) else [c] for f, c in mapping.get("columns", {}).items()}
    unused = list(out.get("unused", []))
    for column, field_name in fields.items():
        for f in list(columns):
            if column in columns[f]:
                columns[f].remove(column)
                if not columns[f]:
                    del columns[f]
        if column in unused:
            unused.remove(column)
        if field_name is None:
            unused.append(column)
            continue
        if field_name not in ("description",) and field_name in columns:
            unused.extend(columns.pop(field_name))
        columns.setdefault(field_name, []).append(column)
    out["unused"] = unused
    out["columns"] = {f: c if f == "description" or len(c) > 1 else c[0] for f, c in columns.items()}
    return out


def mapping_fits(mapping: dict, headers: list[str]) -> bool:
    """Whether a stored mapping applies to a file with these headers: the same columns, in any order.

    A mapping names every column of the file it was made for (read as a field or left out), so a file
    with a column it does not name (an export that gained a CPV or country column) is read afresh:
    applying the old mapping would silently leave the new column out.
    """
    named = set(mapping.get("unused", []))
    for cols in mapping.get("columns", {}).values():
        named.update([cols] if isinstance(cols, str) else cols)
    return bool(named) and named == set(headers)


def dumps_toml(mapping: dict) -> str:
    """A mapping file's text (the keys a mapping file has: options, ``unused``, ``[columns]``, ``[constants]``)."""
    lines = []
    for key, value in mapping.items():
        if key in ("columns", "constants"):
            continue
        lines.append(f"{key} = {_value(value)}")
    for table in ("columns", "constants"):
        if mapping.get(table):
            lines += ["", f"[{table}]"] + [f"{k} = {_value(v)}" for k, v in mapping[table].items()]
    return "\n".join(lines) + "\n"


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return _list([str(v) for v in value])
    return _q(str(value))
