"""Every CSV and XLSX writer of the library neutralises text that would open as a formula (OWASP).

One hostile ledger goes through each writer: ``register.csv`` in memory and streamed,
``register.xlsx``, and ``fairprocure classify``'s CSV. Text starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return must come out inert; numbers (a negative amount) stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from conftest import keyword_stub

from fairprocure.report import write_outputs
from fairprocure.screening import screen
from fairprocure.spreadsheet import formula_like, safe_cell, safe_row, safe_table

HOSTILE = {
    '=HYPERLINK("http://evil.example/","Click") Ltd': "supplier",
    "=cmd|' /C calc'!A0 cleaning services": "description",
    "+SUM(1+1) Trading": "supplier",
    "-2+3 cleaning": "description",
    "@SUM(A1) Holdings": "supplier",
    "\t=1+1 Tabbed cleaning": "description",
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    rows = [["Supplier", "Description", "Amount", "Currency", "Date", "Supplier country"]]
    for i, (text, where) in enumerate(HOSTILE.items()):
        supplier = text if where == "supplier" else f"Supplier {i}"
        description = text if where == "description" else "office cleaning services"
        rows.append(
            [
                supplier,
                description,
                "-1200.50" if i == 0 else str(100 * (i + 1)),
                "EUR",
                "2025-01-09",
                "Germany",
            ]
        )
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


KEPT = {text.strip() for text in HOSTILE}  # the ingest trims surrounding white space


def _csv_cells(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _assert_csv_inert(path: Path, columns=("supplier_name", "description")) -> None:
    rows = _csv_cells(path)
    assert rows
    seen = set()
    for row in rows:
        for column in columns:
            cell = row[column]
            assert not formula_like(cell), f"{column} {cell!r} would open as a formula"
            if cell.startswith("'") and cell[1:] in KEPT:
                seen.add(cell[1:])
    assert seen == KEPT, "every hostile text is kept, behind an apostrophe"


def test_the_helper_neutralises_text_and_leaves_numbers_alone():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\r=1") == "'\r=1"
    assert safe_cell("Acme") == "Acme"
    assert safe_cell(-1200.5) == -1200.5 and safe_cell(None) is None
    assert safe_row(["-5", -5, "a-b"]) == ["'-5", -5, "a-b"]
    table = pa.table({"t": ["@x", None, "ok"], "n": [-1.0, 2.0, None]})
    safe = safe_table(table)
    assert safe["t"].to_pylist() == ["'@x", None, "ok"]
    assert safe["n"].to_pylist() == [-1.0, 2.0, None] and safe.schema == table.schema


@pytest.mark.parametrize("stream", [False, True], ids=["in-memory", "streamed"])
def test_register_csv_is_inert_and_amounts_stay_numbers(ledger, tmp_path, stream):
    result = screen([ledger], classifier=keyword_stub, stream=stream, workdir=tmp_path / "work")
    paths = write_outputs(result, tmp_path / "out")
    _assert_csv_inert(paths["register.csv"])
    values = {row["value"] for row in _csv_cells(paths["register.csv"])}
    assert "-1200.5" in values  # a negative amount is a number, not "'-1200.5"


def test_register_xlsx_holds_text_never_formulas(ledger, tmp_path):
    result = screen([ledger], classifier=keyword_stub)
    paths = write_outputs(result, tmp_path / "out")
    book = openpyxl.load_workbook(paths["register.xlsx"])
    sheet = book["Register"]
    header = [c.value for c in sheet[1]]
    found = set()
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            if cell.value in KEPT:
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                found.add(cell.value)
        value = row[header.index("value")].value
        assert isinstance(value, float | int)
    assert found == KEPT
    assert -1200.5 in [r[header.index("value")].value for r in sheet.iter_rows(min_row=2)]


def test_classify_csv_output_is_inert(ledger, tmp_path, monkeypatch):
    from fairprocure.classify import files, model

    monkeypatch.setattr(
        model, "load_classifier", lambda: type("M", (), {"predict": staticmethod(keyword_stub)})
    )
    out, rows = files.classify_csv(ledger, "Description", tmp_path / "classified.csv")
    assert rows == len(HOSTILE)
    cells = _csv_cells(out)
    assert all(not formula_like(v) for row in cells for v in row.values() if v)
    assert {r["Description"][1:] for r in cells if r["Description"].startswith("'")} == {
        t for t, where in HOSTILE.items() if where == "description"
    }  # the file's own text, untrimmed
