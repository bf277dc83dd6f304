"""A line is known by its source record and its content, never by the file's name and the row number."""

import openpyxl
import pyarrow as pa

from fairprocure.ingest import read_sources
from fairprocure.ingest.identity import FINGERPRINT_PREFIX, fingerprints, uniquify

HEADER = "Transaction number,Supplier,Description,Amount,Currency,Date\n"


def lines(tmp_path, name: str, text: str, folder: str = "") -> list[dict]:
    path = tmp_path / folder / name if folder else tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return read_sources([path]).lines.to_pylist()


def test_two_months_of_the_same_export_name_give_different_lines(tmp_path):
    january = lines(tmp_path, "export.csv", HEADER + "T-1,Acme,catering,100,EUR,2025-01-10\n", "jan")
    february = lines(tmp_path, "export.csv", HEADER + "T-7,Acme,catering,100,EUR,2025-02-10\n", "feb")
    assert january[0]["line_id"] == "T-1" and february[0]["line_id"] == "T-7"
    assert january[0]["source_record"] == february[0]["source_record"] == "row 2"  # still said for people


def test_without_a_record_id_a_line_is_its_content(tmp_path):
    text = "Supplier,Description,Amount,Currency,Date\nAcme,catering,100,EUR,2025-01-10\n"
    first = lines(tmp_path, "a.csv", text)[0]
    same = lines(tmp_path, "other name.csv", "\n" + text)[0]  # another file, the row moved down
    assert first["line_id"] == same["line_id"] == FINGERPRINT_PREFIX + first["fingerprint"]
    changed = lines(tmp_path, "b.csv", text.replace("100", "120"))[0]
    assert changed["line_id"] != first["line_id"]


def test_the_same_record_from_csv_and_xlsx_in_any_column_order_is_the_same_line(tmp_path):
    csv_line = lines(tmp_path, "export.csv", HEADER + "T-1,Acme,catering,100.50,EUR,2025-01-10\n")[0]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Currency", "Description", "Supplier", "Transaction number"])
    sheet.append(["2025-01-10", 100.5, "EUR", "catering", "Acme", "T-1"])
    book.save(tmp_path / "export.xlsx")
    xlsx_line = read_sources([tmp_path / "export.xlsx"]).lines.to_pylist()[0]
    assert (xlsx_line["line_id"], xlsx_line["fingerprint"]) == (csv_line["line_id"], csv_line["fingerprint"])


def test_a_changed_record_keeps_its_identity_and_changes_its_fingerprint(tmp_path):
    before = lines(tmp_path, "export.csv", HEADER + "T-2,Acme,catering,100,EUR,2025-02-10\n", "feb")[0]
    after = lines(tmp_path, "export.csv", HEADER + "T-2,Guard Co,night security,100,EUR,2025-02-10\n", "mar")[
        0
    ]
    assert before["line_id"] == after["line_id"] == "T-2"
    assert before["fingerprint"] != after["fingerprint"]


def test_repeats_within_a_screening_are_numbered_in_reading_order(tmp_path):
    text = HEADER + "INV-1,Acme,catering,100,EUR,2025-01-10\nINV-1,Acme,cleaning,50,EUR,2025-01-10\n"
    text += ",Acme,water,5,EUR,2025-01-11\n,Acme,water,5,EUR,2025-01-11\n"  # two identical purchases
    found = lines(tmp_path, "export.csv", text)
    fp = found[2]["line_id"]
    assert [line["line_id"] for line in found] == ["INV-1", "INV-1#2", fp, fp + "#2"]
    assert fp.startswith(FINGERPRINT_PREFIX) and found[2]["fingerprint"] == found[3]["fingerprint"]


def test_a_missing_value_is_not_an_empty_one_and_fields_do_not_run_together():
    table = pa.table(
        {
            "supplier_name": pa.array(["ab", "a", None, ""], pa.string()),
            "description": pa.array(["", "b", "ab", None], pa.string()),
            "value": pa.array([0.1 + 0.2, 0.3, None, 1e21], pa.float64()),
        }
    )
    found = fingerprints(table).to_pylist()
    assert len(set(found)) == 4 and all(len(f) == 16 for f in found)
    assert uniquify(["a", "b"]) is None and uniquify(["a", "a", "a"]) == ["a", "a#2", "a#3"]
