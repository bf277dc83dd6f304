"""The outputs of a screening: stable register columns, a readable workbook, a self-contained report."""

import json
import zipfile
from pathlib import Path

import openpyxl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from fairprocure.report import OUTPUTS, write_outputs
from fairprocure.schema import COMPACT_REGISTER_COLUMNS, REGISTER_COLUMNS
from fairprocure.screening import screen

FIXTURE = Path(__file__).parent / "fixtures" / "screening" / "reference_cases.csv"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    from conftest import keyword_stub

    out = tmp_path_factory.mktemp("report")
    result = screen([FIXTURE], classifier=keyword_stub)
    return result, write_outputs(result, out, xlsx_max_rows=5)


def test_all_outputs_are_written_and_no_temporary_files_remain(written):
    _, paths = written
    assert sorted(paths) == sorted(OUTPUTS)
    folder = paths["register.csv"].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUTS)


def test_register_files_have_the_documented_columns_in_order(written):
    _, paths = written
    assert pq.read_table(paths["register.parquet"]).column_names == COMPACT_REGISTER_COLUMNS
    assert pacsv.read_csv(paths["register.csv"]).column_names == REGISTER_COLUMNS


def test_workbook_holds_the_highest_priorities_and_says_when_it_is_cut(written):
    _, paths = written
    book = openpyxl.load_workbook(paths["register.xlsx"], read_only=True)
    assert book.sheetnames == ["Summary", "Register", "Columns"]
    rows = list(book["Register"].iter_rows(values_only=True))
    assert list(rows[0]) == REGISTER_COLUMNS
    assert len(rows) == 1 + 5  # xlsx_max_rows=5 of 14 lines
    ranks = [r[REGISTER_COLUMNS.index("priority_rank")] for r in rows[1:]]
    assert ranks == [1, 2, 3, 4, 5]
    summary = " ".join(str(c) for row in book["Summary"].iter_rows(values_only=True) for c in row if c)
    assert "Only the 5 highest-priority lines of 14" in summary


def test_report_is_self_contained_and_explains_the_top_line(written):
    result, paths = written
    html = paths["report.html"].read_text(encoding="utf-8")
    assert "<script src" not in html and "<link " not in html  # nothing fetched from elsewhere
    for section in ("Heat map", "Likelihood × severity", "Highest-priority contracts", "Data quality"):
        assert section in html
    top = min(result.register.to_pylist(), key=lambda r: r["priority_rank"])
    first_factor = json.loads(top["factors"])[0]
    assert first_factor["evidence"] in html.replace("&#39;", "'")
    assert "2015 report" in html  # the TIP edition is said


def test_quality_counts_what_was_read_and_screened(written):
    _, paths = written
    quality = json.loads(paths["quality.json"].read_text())
    assert quality["records_read"] == 14 and quality["lines_screened"] == 14
    assert quality["records_quarantined"] == 0
    assert 0 < quality["coverage"]["share_of_spend_classified"] <= 1


def test_a_large_workbook_is_streamed_with_the_same_cells(written, tmp_path, monkeypatch):
    """Past ``IN_MEMORY_ROWS`` lines the workbook is written row by row (xlsxwriter's constant memory
    mode, inline strings); its cells are those of the workbook built in memory."""
    from fairprocure.report import _head, xlsx

    result, _ = written
    head = _head(result.register, result.register.num_rows)

    def cells(path):
        book = openpyxl.load_workbook(path)
        return {
            name: [[(c.value, c.data_type, c.quotePrefix, c.font.color and c.font.color.rgb) for c in row]
                   for row in book[name].iter_rows()]
            for name in book.sheetnames
        }  # fmt: skip

    xlsx.write_xlsx(result, tmp_path / "memory.xlsx", head)
    monkeypatch.setattr(xlsx, "IN_MEMORY_ROWS", 3)
    xlsx.write_xlsx(result, tmp_path / "streamed.xlsx", head)
    memory, streamed = cells(tmp_path / "memory.xlsx"), cells(tmp_path / "streamed.xlsx")
    assert len(memory["Register"]) == 1 + result.register.num_rows
    assert memory == streamed
    parts = {
        name: set(zipfile.ZipFile(tmp_path / name).namelist()) for name in ("memory.xlsx", "streamed.xlsx")
    }
    assert "xl/sharedStrings.xml" in parts["memory.xlsx"] - parts["streamed.xlsx"]  # streamed: inline strings
