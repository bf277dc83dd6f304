"""Outputs that fit the size (top N by priority in CSV/XLSX, every line in Parquet, the cut said) and
the progress a long screening reports (rows read, phases, the web job page's text)."""

from __future__ import annotations

import io
import json

import openpyxl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, keyword_stub
from rich.console import Console

from fairprocure.cli.progress import ScreeningBar
from fairprocure.progress import Step
from fairprocure.report import write_outputs
from fairprocure.screening import screen

INPUTS = [
    FIXTURES / "screening" / "reference_cases.csv",
    FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    FIXTURES / "ingest" / "broken_releases.jsonl",
]


@pytest.fixture(scope="module")
def in_memory():
    return screen(INPUTS, classifier=keyword_stub)


def _ranks(path):
    return pacsv.read_csv(path).column("priority_rank").to_pylist()


def test_csv_and_xlsx_hold_the_top_lines_parquet_all_and_the_cut_is_said(in_memory, tmp_path):
    total = in_memory.register.num_rows
    assert total > 8
    paths = write_outputs(in_memory, tmp_path, top=5)
    assert pq.read_table(paths["register.parquet"]).num_rows == total
    assert _ranks(paths["register.csv"]) == [1, 2, 3, 4, 5]
    expected = in_memory.register.sort_by("priority_rank").slice(0, 5)
    assert (
        pacsv.read_csv(paths["register.csv"]).column("line_id").to_pylist() == expected["line_id"].to_pylist()
    )
    sheet = openpyxl.load_workbook(paths["register.xlsx"], read_only=True)["Register"]
    assert sheet.max_row == 1 + 5
    said = json.loads(paths["quality.json"].read_text())["outputs"]
    assert said["register.csv"] == {"lines": 5, "of": total, "cut": True, "order": "priority_rank"}
    assert said["register.xlsx"]["lines"] == 5 and said["register.xlsx"]["cut"]
    assert said["register.parquet"] == {"lines": total, "of": total, "cut": False}
    html = paths["report.html"].read_text()
    assert 'id="outputs-cut" class="note"' in html and f"5 highest-priority lines of {total:,}" in html


def test_every_line_when_asked(in_memory, tmp_path):
    paths = write_outputs(in_memory, tmp_path, top=None)
    total = in_memory.register.num_rows
    assert sorted(_ranks(paths["register.csv"])) == list(range(1, total + 1))
    said = json.loads(paths["quality.json"].read_text())["outputs"]
    assert not said["register.csv"]["cut"] and not said["register.xlsx"]["cut"]
    assert "Every register file holds every line" in paths["report.html"].read_text()


def test_streamed_register_cut_beyond_the_rows_held_in_memory(tmp_path):
    streamed = screen(INPUTS, classifier=keyword_stub, stream=True, workdir=tmp_path / "w", top=3)
    total = streamed.portfolio.totals["lines"]
    paths = write_outputs(streamed, tmp_path / "out", top=7)  # more than the 3 rows held: read from Parquet
    assert _ranks(paths["register.csv"]) == list(range(1, 8))
    assert openpyxl.load_workbook(paths["register.xlsx"], read_only=True)["Register"].max_row == 8
    assert pq.read_table(paths["register.parquet"]).num_rows == total
    every = write_outputs(streamed, tmp_path / "all", top=None)
    assert sorted(_ranks(every["register.csv"])) == list(range(1, total + 1))


def test_progress_reports_rows_read_phases_and_plain_text(tmp_path):
    seen: list[tuple[float, str]] = []
    result = screen(
        INPUTS,
        classifier=keyword_stub,
        stream=True,
        workdir=tmp_path,
        progress=lambda f, m: seen.append((f, m)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(m, Step) and isinstance(m, str) for _, m in seen)
    reading = [m for _, m in seen if m.phase == "reading"]
    assert [m.rows for m in reading] == sorted(m.rows for m in reading)  # rows read only grow
    assert reading[-1].rows == sum(s["records_read"] for s in result.stats.values())
    assert reading[-1] == f"reading: {reading[-1].rows:,} rows"  # what the web job page shows
    phases = [m.phase for _, m in seen]
    assert phases.index("scoring every line") < phases.index("ranking") < phases.index("done")
    assert seen[-1][1].rows == result.portfolio.totals["lines"]


def test_the_bar_shows_phase_rows_rate_and_time_left():
    out = io.StringIO()
    bar = ScreeningBar("Screening", Console(file=out, force_terminal=True, width=160))
    with bar:
        bar.update(0.0, Step("reading", 0, 0.0))
        bar.update(0.15, Step("reading", 50_000, 0.5))
        bar.update(0.5, Step("scoring every line", 100_000))
        text = bar.progress.tasks[0].fields["status"]
    assert text.startswith("scoring every line · 100,000 rows · read at ") and "rows/s" in text
    assert "left" in text
    assert "Screening" in out.getvalue()


def test_cli_top_is_said_and_no_bar_off_a_terminal(tmp_path):
    from click.testing import CliRunner

    from fairprocure.cli import main

    source = str(FIXTURES / "screening" / "reference_cases.csv")
    result = CliRunner().invoke(main, ["screen", source, "--out", str(tmp_path), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "hold the 3 highest-priority lines" in result.output
    assert "━" not in result.output and "rows/s" not in result.output  # not a terminal: no bar
    assert _ranks(tmp_path / "register.csv") == [1, 2, 3]


def test_one_documented_default_for_the_top_lines():
    from fairprocure.cli import screening as cli
    from fairprocure.report import TOP_LINES

    assert cli.TOP_LINES == TOP_LINES == screen.__kwdefaults__["top"]
