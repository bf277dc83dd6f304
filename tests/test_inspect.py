"""``fairprocure inspect``: the layout in words and a mapping file that reads the ledger the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fairprocure.cli import main
from fairprocure.ingest import load_mapping, read_sources

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
FILES = [
    "sap_fbl1n_de.csv",
    "1c_platezhnye_porucheniya_ru.csv",
    "uk_council_over_500.xlsx",
    "headerless.csv",
    "two_row_header.csv",
    "business_central_vendor_ledger.txt",
    "us_vendor_payments.csv",
]


@pytest.mark.parametrize("name", FILES)
def test_the_written_mapping_reads_the_file_as_detection_does(tmp_path, name):
    path = LAYOUTS / name
    target = tmp_path / "m.toml"
    result = CliRunner().invoke(main, ["inspect", str(path), "--write", str(target)])
    assert result.exit_code == 0, result.output
    assert "supplier" in result.output and "First lines as they will be screened" in result.output
    detected = read_sources([path]).lines
    mapped = read_sources([path], load_mapping(target)).lines
    assert (
        mapped.drop_columns(["data_issues"]).to_pylist() == detected.drop_columns(["data_issues"]).to_pylist()
    )


def test_inspect_shows_the_title_rows_formats_and_a_correction_takes_effect(tmp_path):
    path = LAYOUTS / "sap_fbl1n_de.csv"
    target = tmp_path / "m.toml"
    result = CliRunner().invoke(main, ["inspect", str(path), "--write", str(target)])
    assert "Header on row 3 (2 title row(s) above it skipped)" in result.output
    assert "Amounts: decimal comma" in result.output and "Dates: day/month/year" in result.output
    text = target.read_text(encoding="utf-8")
    assert 'encoding = "cp1252"' in text and 'delimiter = ";"' in text and 'value = "Betrag in HW"' in text
    assert 'supplier_id = "Kreditor"' in text and 'office = "Kostenstelle"' in text
    # a person decides the cost centre is not the office: the office is the whole municipality
    corrected = text.replace("unused = []", 'unused = ["Kostenstelle"]').replace(
        'office = "Kostenstelle"\n', ""
    )
    corrected = corrected.replace("[constants]\n", '[constants]\noffice = "Stadt Neustadt"\n')
    target.write_text(corrected, encoding="utf-8")
    lines = read_sources([path], load_mapping(target)).lines.to_pylist()
    assert {line["office"] for line in lines} == {"Stadt Neustadt"}
    assert all(line["supplier_id"].isdigit() for line in lines)


def test_inspect_of_something_unreadable_says_why_in_one_line(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("just,some\nwords,here\n")
    result = CliRunner().invoke(main, ["inspect", str(path), "--no-write"])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "nothing in it can be screened" in result.output


def test_corrections_and_a_remembered_mapping_for_the_next_export(tmp_path):
    import tomllib

    from fairprocure.ingest.inspect import corrected, dumps_toml, inspect_ledger, mapping_fits
    from fairprocure.ingest.mapping import mapping_from_dict

    path = LAYOUTS / "sap_fbl1n_de.csv"
    inspection = inspect_ledger(path)
    base = inspection.mapping_dict()
    assert base["columns"]["office"] == "Kostenstelle" and base["columns"]["description"] == ["Text"]
    fixed = corrected(base, {"Kostenstelle": None, "Sachkonto": "description"})
    assert "office" not in fixed["columns"] and "Kostenstelle" in fixed["unused"]
    assert (
        fixed["columns"]["description"] == ["Text", "Sachkonto"]
        and "classification_code" not in fixed["columns"]
    )
    moved = corrected(base, {"Belegnummer": "supplier_id"})  # the old supplier id column is then left out
    assert moved["columns"]["supplier_id"] == "Belegnummer" and "Kreditor" in moved["unused"]
    text = dumps_toml(fixed)
    assert tomllib.loads(text) == fixed
    lines = read_sources([path], mapping_from_dict(tomllib.loads(text))).lines.to_pylist()
    assert all(line["office"] is None and "—" in line["description"] for line in lines)
    headers = inspection.tables[0].layout.headers
    assert mapping_fits(fixed, headers) and not mapping_fits(fixed, [h for h in headers if h != "Text"])
    assert mapping_fits(fixed, headers[::-1]) and not mapping_fits(fixed, [*headers, "CPV"])  # a new column
