"""Cells safe to open in a spreadsheet: the one helper every CSV and XLSX writer uses.

Text from procurement data (a supplier called ``=HYPERLINK("http://…")``, a description
``=cmd|' /C calc'!A0``) must never become a live formula when a register is opened in Excel or
LibreOffice (OWASP "CSV injection"). The rule, from the OWASP cheat sheet:

- **CSV**: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
  leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text. Numbers are written as
  numbers: a negative amount stays ``-1200.5``, only *text* is ever prefixed.
- **XLSX**: text is always written as a string cell, never through xlsxwriter's ``write()`` (which
  turns ``"=…"`` into a formula); text that starts like a formula also gets Excel's own
  *quote prefix* style, so editing the cell keeps it text. The text itself is unchanged.

Writers: :func:`safe_row` for Python rows, :func:`safe_table` / :func:`safe_batch` for Arrow data
(CSV through pyarrow), :class:`XlsxCells` (and :func:`workbook_options`) for xlsxwriter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_REGEX = r"^[=+\-@\t\r]"


def formula_like(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (or a DDE command)?"""
    return text.startswith(FORMULA_START)


def safe_text(text: str) -> str:
    """``text`` for a CSV cell: prefixed with an apostrophe when it starts like a formula."""
    return "'" + text if formula_like(text) else text


def safe_cell(value: Any) -> Any:
    """A CSV cell value: text neutralised, everything else (numbers, dates, None) unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def _safe_array(array):
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array
    risky = pc.match_substring_regex(array, _FORMULA_REGEX)
    if not pc.any(risky).as_py():
        return array
    return pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", array.type), array, ""), array)


def safe_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with every text column neutralised for CSV (numeric columns untouched)."""
    return pa.RecordBatch.from_arrays([_safe_array(c) for c in batch.columns], schema=batch.schema)


def safe_table(table: pa.Table) -> pa.Table:
    """``table`` with every text column neutralised for CSV (numeric columns untouched)."""
    return pa.Table.from_arrays([_safe_array(c) for c in table.columns], schema=table.schema)


def workbook_options(**options: Any) -> dict[str, Any]:
    """xlsxwriter ``Workbook`` options that never turn data into formulas or links."""
    return {"strings_to_formulas": False, "strings_to_urls": False, **options}


class XlsxCells:
    """Writes data into xlsxwriter sheets by type: text as strings, numbers as numbers, never formulas.

    ``XlsxCells(workbook).write(sheet, 1, 0, '=HYPERLINK("http://x")')`` writes a quote-prefixed
    string cell. NaN and infinite numbers are left empty (xlsxwriter cannot store them).
    """

    def __init__(self, workbook) -> None:
        self._quoted = workbook.add_format({"quote_prefix": True})

    def write(self, sheet, row: int, col: int, value: Any, fmt=None) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        elif isinstance(value, dt.datetime | dt.date):
            sheet.write_datetime(row, col, value, fmt)
        else:
            text = str(value)
            # Formula-like text takes the quote-prefix style instead of ``fmt`` (such text never needs colour).
            sheet.write_string(row, col, text, self._quoted if formula_like(text) else fmt)

    def writer(self, kind: pa.DataType) -> Callable[..., None]:
        """:meth:`write` for the values of one Arrow type, chosen once for a column: text and numbers
        skip the checks for other types (a workbook of 10,000 lines has 330,000 cells)."""
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            quoted = self._quoted

            def text(sheet, row: int, col: int, value: str | None, fmt=None) -> None:
                if value is not None:
                    sheet.write_string(row, col, value, quoted if formula_like(value) else fmt)

            return text
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):

            def number(sheet, row: int, col: int, value: float | None, fmt=None) -> None:
                if value is not None and math.isfinite(value):
                    sheet.write_number(row, col, value, fmt)

            return number
        return self.write

    def write_row(self, sheet, row: int, col: int, values: Iterable[Any], fmt=None) -> None:
        for i, value in enumerate(values):
            self.write(sheet, row, col + i, value, fmt)
