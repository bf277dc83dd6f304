"""Spend data published as JSON records (not OCDS) is read as a ledger, with no mapping file."""

from __future__ import annotations

import json

from fairprocure.ingest import read_sources
from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.inspect import inspect_ledger


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_an_api_export_with_metadata_and_nested_keys(tmp_path):
    document = {
        "meta": {"title": "Payments to suppliers", "currency": "EUR", "generated": "2025-03-01"},
        "result": {
            "total": 3,
            "payments": [
                {
                    "paymentId": "P-1",
                    "paymentDate": "2025-01-14",
                    "vendor": {"vendorName": "Acme Cleaning GmbH", "vendorId": "V9"},
                    "totalAmount": 1200.5,
                    "purpose": "Office cleaning, January",
                    "tags": ["services", "facilities"],
                },
                {
                    "paymentId": "P-2",
                    "paymentDate": "2025-01-20",
                    "vendor": {"vendorName": "Büro Papier AG", "vendorId": "V3"},
                    "totalAmount": 310,
                    "purpose": "Copy paper",
                    "tags": [],
                },
                {
                    "paymentId": "P-3",
                    "paymentDate": "2025-02-02",
                    "vendor": {"vendorName": "Sicher Wach GmbH", "vendorId": "V4"},
                    "totalAmount": 8800,
                    "purpose": "Security guards, reception",
                    "tags": None,
                },
            ],
        },
    }
    path = _write(tmp_path / "payments.json", json.dumps(document))
    assert detect_format(path) == "json"
    result = read_sources([path])
    lines = result.lines.to_pylist()
    assert [r["supplier_name"] for r in lines] == ["Acme Cleaning GmbH", "Büro Papier AG", "Sicher Wach GmbH"]
    assert [r["value"] for r in lines] == [1200.5, 310.0, 8800.0]
    assert {r["currency"] for r in lines} == {"EUR"}  # from the metadata's "currency" key
    assert str(lines[0]["date"]) == "2025-01-14"
    assert lines[0]["description"].startswith("Office cleaning, January")
    assert lines[0]["record_id"] == "P-1"
    assert [r["source_record"] for r in lines] == ["row 1", "row 2", "row 3"]
    layout = result.stats[str(path)]["layout"]
    assert layout["records_at"] == "result.payments"
    fields = {c["column"]: c["field"] for c in layout["columns"]}
    assert fields["vendor.vendorName"] == "supplier_name" and fields["totalAmount"] == "value"


def test_json_lines_of_records_quarantine_a_broken_line(tmp_path):
    rows = [
        {"supplier": "Alpha Ltd", "amount": "1,250.00", "description": "Catering for a workshop"},
        {"supplier": "Beta plc", "amount": "90.10", "description": "Taxi to the airport"},
    ]
    text = (
        "\n".join(json.dumps(r) for r in rows[:1]) + '\n{"supplier": "Gamma", "amou\n' + json.dumps(rows[1])
    )
    path = _write(tmp_path / "spend.jsonl", text + "\n")
    assert detect_format(path) == "json"
    result = read_sources([path])
    assert [r["supplier_name"] for r in result.lines.to_pylist()] == ["Alpha Ltd", "Beta plc"]
    assert [r["source_record"] for r in result.lines.to_pylist()] == ["row 1", "row 3"]
    stats = result.stats[str(path)]
    assert (stats["records_read"], stats["lines"], stats["quarantined"]) == (3, 2, 1)
    (bad,) = [p for p in result.problems if p.action == "quarantined"]
    assert bad.record == "row 2" and "not valid JSON" in bad.message


def test_ocds_stays_ocds(tmp_path):
    release = {
        "ocid": "ocds-x-1",
        "id": "1",
        "date": "2025-01-01",
        "tag": ["award"],
        "tender": {"title": "Gloves"},
    }
    path = _write(tmp_path / "releases.json", json.dumps({"releases": [release]}))
    assert detect_format(path) == "ocds"
    broken = _write(tmp_path / "broken.json", json.dumps({"releases": [{"id": "no ocid"}]}))
    assert detect_format(broken) == "ocds"  # a release package without ocids: OCDS's reader says why


def test_inspect_a_json_ledger(tmp_path):
    records = [{"Supplier": f"Firm {i} Ltd", "Amount (£)": 100 + i, "Item": "Stationery"} for i in range(8)]
    path = _write(tmp_path / "list.json", json.dumps(records))
    inspection = inspect_ledger(path)
    assert inspection.kind == "json"
    text = inspection.text()
    assert "JSON, 8 records" in text and "GBP" in text
    assert "header_row" not in inspection.mapping_toml()
    assert inspection.tables[0].preview[0]["supplier_name"] == "Firm 0 Ltd"
