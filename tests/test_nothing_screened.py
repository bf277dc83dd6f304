"""An input with nothing to screen: a clear one-line error, and a report that says why (no crash)."""

import json

from click.testing import CliRunner

from fairprocure.cli import main


def _screen(tmp_path, *files):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["screen", *map(str, files), "--out", str(out), "-q"])
    return result, out


def test_an_empty_ledger_fails_with_one_line_and_a_report_that_says_why(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result, out = _screen(tmp_path, empty)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: nothing could be screened")
    assert "empty" in lines[0]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Nothing could be screened" in html and "the file is empty" in html
    quality = json.loads((out / "quality.json").read_text())
    assert quality["lines_screened"] == 0 and quality["records_quarantined"] == 1


def test_a_ledger_whose_every_row_is_quarantined_fails_with_the_reason(tmp_path):
    ledger = tmp_path / "totals.csv"
    ledger.write_text(
        "Supplier,Amount,Description\nAcme Ltd,,\n,12.50,\n"
    )  # a supplier alone, an amount alone
    result, out = _screen(tmp_path, ledger)
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "nothing could be screened" in result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Nothing could be screened" in html and "nothing to screen" in html
