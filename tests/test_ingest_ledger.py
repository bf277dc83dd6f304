"""Spend ledgers: column detection, encodings, merged headers, bad input."""

from pathlib import Path

import pytest

from fairprocure.ingest import read_sources
from fairprocure.schema import LINE_SCHEMA

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def test_cp1251_russian_csv_is_decoded_and_detected():
    result = read_sources([FIXTURES / "cp1251_russian_semicolon.csv"])
    line = result.lines.to_pylist()[0]
    assert line["supplier_name"] == "ООО Ромашка"
    assert line["value"] == 1200.5
    assert line["supplier_country"] == "RUS"
    assert line["description"] == "Хлопковые перчатки"


def test_bad_values_are_kept_with_problems_and_blank_rows_counted():
    result = read_sources([FIXTURES / "bad_amount_currency_country.csv"])
    lines = result.lines.to_pylist()
    assert [line["supplier_name"] for line in lines] == ["Acme", "Beta"]
    assert lines[0]["value"] is None and lines[0]["supplier_country"] is None
    assert lines[1]["value_eur"] is None
    messages = {(p.field, p.action): p.message for p in result.problems}
    assert "abc" in messages[("value", "kept")]
    assert "Atlantis" in messages[("supplier_country", "kept")]
    assert "XYZ" in messages[("currency", "kept")]
    stats = result.stats[str(FIXTURES / "bad_amount_currency_country.csv")]
    assert (stats["records_read"], stats["quarantined"], stats["blank_rows"]) == (2, 0, 1)
    assert "Atlantis" in lines[0]["data_issues"]


def test_empty_file_and_missing_amount_column_are_reported_not_raised():
    result = read_sources([FIXTURES / "empty.csv", FIXTURES / "missing_amount_column.csv"])
    assert result.lines.num_rows == 0
    reasons = [p.message for p in result.problems]
    assert any("empty" in r for r in reasons)
    missing = next(r for r in reasons if "missing_amount_column" in r)
    assert "amount" in missing and "notes_code" in missing and "[columns]" in missing


def test_xlsx_with_title_and_merged_two_row_header():
    result = read_sources([FIXTURES / "merged_two_row_header.xlsx"])
    lines = result.lines.to_pylist()
    assert [line["supplier_name"] for line in lines] == ["Acme GmbH", "Kilim SRL"]
    assert [line["supplier_country"] for line in lines] == ["DEU", "MDA"]
    assert lines[0]["currency"] == "EUR" and lines[0]["value_eur"] == 1200.5
    assert lines[0]["source_record"] == "row 5"


@pytest.mark.skipif(not SHARED.exists(), reason="shared data not available")
def test_real_hmt_and_ted_ledgers():
    hmt = SHARED / "uk_hmt_spend_over_25k" / "hmt_spend_over_25k_2025Q1.csv"
    ted = SHARED / "ted_notices_dev" / "ted_notices.csv"
    result = read_sources([hmt, ted])
    assert result.lines.schema == LINE_SCHEMA
    rows = result.lines.to_pylist()
    first = rows[0]
    assert first["office"] == "DMO" and first["currency"] == "GBP" and first["value_eur"] > first["value"]
    assert "Market Data" in first["description"] and "Business Delivery" in first["description"]
    ted_rows = [r for r in rows if r["source_file"] == str(ted)]
    assert all(r["cpv"] is None or len(r["cpv"]) == 8 for r in ted_rows)
    assert sum(r["delivery_country"] is not None for r in ted_rows) > 0.9 * len(ted_rows)
    for stats in result.stats.values():
        assert stats["lines"] + stats["quarantined"] == stats["records_read"]
