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


def test_every_monthly_sheet_is_read_a_summary_sheet_left_out_and_the_title_gives_the_currency(tmp_path):
    import xlsxwriter

    path = tmp_path / "spend.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        summary = book.add_worksheet("Summary")
        summary.write_row(0, 0, ["Month", "Total spend"])
        summary.write_row(1, 0, ["Jan", 12345])
        for month in ("Jan", "Feb"):
            sheet = book.add_worksheet(month)
            sheet.write(0, 0, f"Payments over £500 - {month} 2024")
            sheet.write_row(2, 0, ["Supplier", "Amount", "Expense Description"])
            sheet.write_row(3, 0, ["Acme Cleaning Ltd", 600.5, "Office cleaning"])
            sheet.write_row(4, 0, ["Total", 600.5, ""])
    result = read_sources([path])
    lines = result.lines.to_pylist()
    assert [line["source_record"] for line in lines] == ["Jan row 4", "Feb row 4"]
    assert {line["currency"] for line in lines} == {"GBP"} and all(line["value_eur"] for line in lines)
    stats = result.stats[str(path)]
    assert [s["sheet"] for s in stats["sheets"]] == ["Jan", "Feb"] and stats["quarantined"] == 2  # the totals
    assert any("sheet left out" in p.message and "Summary" in p.message for p in result.problems)


def test_group_headings_are_carried_down_into_the_rows_they_head(tmp_path):
    rows = ["Date,Document,Description,Amount"]
    for supplier in ("ACME CLEANING LTD", "Kier Services Limited", "Sodexo Limited"):
        rows.append(f"{supplier},,,")
        rows += [f"0{d}/02/2024,INV{d},Office cleaning,{100 * d}.50" for d in range(1, 4)]
        rows.append(f"Total for {supplier},,,601.50")
    path = tmp_path / "grouped.csv"
    path.write_text("\n".join(rows) + "\n")
    result = read_sources([path])
    lines = result.lines.to_pylist()
    assert [line["supplier_name"] for line in lines] == ["ACME CLEANING LTD"] * 3 + [
        "Kier Services Limited"
    ] * 3 + ["Sodexo Limited"] * 3
    stats = result.stats[str(path)]
    assert stats["group_heading_rows"] == 3 and stats["quarantined"] == 3 and stats["records_read"] == 12
    assert stats["layout"]["group_headings"]["field"] == "supplier_name"


def test_an_accounting_flag_beside_the_description_is_left_out(tmp_path):
    items = ["Office cleaning", "Security guards", "Copy paper", "Laptops", "Catering", "Legal advice"]
    areas = ["Housing", "Parks", "Finance", "Schools", "Waste", "Libraries", "Planning", "Roads", "IT", "HR"]
    rows = [
        (
            f"Supplier {i % 17} Ltd",
            f"{100 + i}.50",
            f"{items[i % 6]} {i % 9}",
            areas[i % 10],
            ("Revenue", "Capital")[i % 5 == 0],
        )
        for i in range(60)
    ]
    path = tmp_path / "ledger.csv"
    path.write_text(
        "Supplier,Amount,Description,Service Area,Expenditure Type\n" + "\n".join(map(",".join, rows)) + "\n"
    )
    result = read_sources([path])
    columns = {c["column"]: c for c in result.stats[str(path)]["layout"]["columns"]}
    assert columns["Expenditure Type"]["field"] is None
    assert "not what was bought" in columns["Expenditure Type"]["evidence"]
    assert result.lines.to_pylist()[0]["description"] == "Office cleaning 0 — Housing"
    # with no other description column, the column is kept: it is all the file says
    path.write_text(
        "Supplier,Amount,Expenditure Type\n" + "\n".join(f"{r[0]},{r[1]},{r[4]}" for r in rows) + "\n"
    )
    assert read_sources([path]).lines.to_pylist()[0]["description"] == "Capital"


def test_a_value_printed_once_per_group_is_carried_down(tmp_path):
    groups = {
        "ACME CLEANING LTD": "Office cleaning",
        "BETA SECURITY LTD": "Guards",
        "GAMMA PAPER PLC": "Paper",
    }
    lines = ["Supplier,Date,Amount,Description"]
    for supplier, what in groups.items():
        lines += [
            f"{supplier if k == 0 else ''},0{k + 1}/03/2024,{100 * (k + 1)}.00,{what}" for k in range(4)
        ]
    path = tmp_path / "report.csv"
    path.write_text("\n".join(lines) + "\n")
    result = read_sources([path])
    got = [(r["supplier_name"], r["description"]) for r in result.lines.to_pylist()]
    assert got == [(s, w) for s, w in groups.items() for _ in range(4)]
    second = result.lines.to_pylist()[1]
    assert "the value above carried down" in second["data_issues"]
    assert result.stats[str(path)]["layout"]["filled_down"] == ["Supplier"]


def test_missing_payees_are_not_filled_from_the_row_above(tmp_path):
    # blanks among recurring payees are redactions, not a group printed once
    payees = ["ACME LTD", "", "BETA LTD", "ACME LTD", "", "", "BETA LTD", "ACME LTD", "", "BETA LTD"]
    rows = [f"{p},{i + 1}0.00,Item {i}" for i, p in enumerate(payees)]
    path = tmp_path / "ledger.csv"
    path.write_text("Payee,Amount,Description\n" + "\n".join(rows) + "\n")
    result = read_sources([path])
    assert [r["supplier_name"] for r in result.lines.to_pylist()] == [p or None for p in payees]
    assert "filled_down" not in result.stats[str(path)]["layout"]


def test_spend_written_as_negative_outflows_is_made_positive(tmp_path):
    rows = [f"0{1 + i % 9}.03.2024;Lieferant {i} GmbH;-{100 + i},50;Rechnung {i}" for i in range(12)]
    rows.append("10.03.2024;Lieferant X GmbH;25,00;Gutschrift")  # a refund
    path = tmp_path / "konto.csv"
    path.write_text("Buchungstag;Empfänger;Betrag;Verwendungszweck\n" + "\n".join(rows) + "\n")
    result = read_sources([path])
    values = [r["value"] for r in result.lines.to_pylist()]
    assert values[0] == 100.5 and values[-1] == -25.0
    assert result.stats[str(path)]["layout"]["amounts_negated"] is True
    assert any("signs were reversed" in p.message for p in result.problems)
