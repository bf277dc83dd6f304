"""Real ledgers of other publishers and the OCDS samples, read with no mapping file.

The truth (data rows, which rows carry a supplier, an amount, a description) comes from the raw files
and the publishers' own column names (``bench/ledger_coverage.py``, which prints the same figures).
Each must have ≥ 95% of its data rows in the register, the rest quarantined with a reason, and a
supplier, an amount and a description on ≥ 95% of the rows that carry them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "ledger_coverage", Path(__file__).resolve().parents[1] / "bench" / "ledger_coverage.py"
)
coverage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(coverage)


@pytest.mark.parametrize("relative", list(coverage.LEDGERS))
def test_real_ledger_is_read_with_no_mapping(shared_data, relative):
    m = coverage.measure_ledger(relative)
    assert m["in_register"] >= 0.95, m
    assert m["lines"] + m["quarantined"] == m["records_read"] == m["data_rows"], m
    for name in ("supplier", "amount", "description"):
        assert m[name] >= 0.95, (name, m)


def test_lambeth_fused_rows_are_repaired_and_said(shared_data):
    from fairprocure.ingest import read_sources

    path = shared_data / "ledgers_dev" / "lambeth_council" / "2012-06-payments.csv"
    result = read_sources([path])
    lines = {r["source_record"]: r for r in result.lines.to_pylist()}
    line = lines["row 19"]  # Lambeth,...,A A GuestHouses,25/06/2012900,PRIVATE RESIDENTIAL CARE
    assert (line["supplier_name"], line["value"], str(line["date"])) == (
        "A A GuestHouses",
        900.0,
        "2012-06-25",
    )
    assert "repaired" in line["data_issues"] and "25/06/2012900" in line["data_issues"]
    repaired = sum("row repaired" in (r["data_issues"] or "") for r in lines.values())
    assert repaired == 638  # and the row with three fields fused in one is quarantined (no single repair)
    quarantined = {p.record: p.message for p in result.problems if p.action == "quarantined"}
    assert "not repaired" in quarantined["row 1382"]
    assert "total" in quarantined["row 3167"]


@pytest.mark.parametrize("relative", coverage.OCDS)
def test_ocds_sample_is_read(shared_data, relative):
    m = coverage.measure_ocds(relative)
    assert m["lines"] > 0
    for name in ("supplier", "amount", "description"):
        assert m[name] is None or m[name] >= 0.95, (name, m)


def test_every_supplier_of_a_joint_award_gets_its_line(shared_data):
    import orjson

    from fairprocure.ingest import read_sources

    path = shared_data / "ocds_samples" / "paraguay_dncp" / "records.jsonl"
    joint = {}
    for line in path.read_bytes().splitlines():
        release = orjson.loads(line).get("compiledRelease") or {}
        for award in release.get("awards") or []:
            names = {s.get("name").strip() for s in award.get("suppliers") or [] if s.get("name")}
            if len(names) > 1:
                joint[release["ocid"]] = names
    assert joint
    lines = read_sources([path]).lines.to_pylist()
    for ocid, names in joint.items():
        got = {r["supplier_name"] for r in lines if r["line_id"].startswith(ocid)}
        assert names <= got, ocid
    split = [r for r in lines if "joint award" in (r["data_issues"] or "")]
    assert split and all("/suppliers/" in r["line_id"] for r in split)
