"""Screening the real samples in ../shared/data end to end, through the CLI, with the shipped classifier.

Every input record must appear in the register or in quarantine with a reason, and on every line
the factor points must add up to the score.
"""

import csv
import json

import orjson
import pytest
from click.testing import CliRunner

from fairprocure.cli import main
from fairprocure.report import OUTPUTS, read_register

OCDS = [
    "ocds_samples/uk_contracts_finder/releases.jsonl",
    "ocds_samples/uk_contracts_finder/records.jsonl",
    "ocds_samples/paraguay_dncp/releases.jsonl",
    "ocds_samples/paraguay_dncp/records.jsonl",
]
LEDGERS = ["uk_hmt_spend_over_25k/hmt_spend_over_25k_2025Q1.csv", "ted_notices_dev/ted_notices.csv"]


def ocid(record: dict) -> str | None:
    """A release's or record's ocid; records of OCDS 1.0 carry it only in their compiled release."""
    return record.get("ocid") or (record.get("compiledRelease") or {}).get("ocid")


@pytest.fixture(scope="module")
def screened(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    paths = [str(shared_data / p) for p in OCDS + LEDGERS]
    result = CliRunner().invoke(main, ["screen", *paths, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    register = read_register(out).to_pylist()  # register.parquet with factor_sets.parquet joined
    quality = json.loads((out / "quality.json").read_text())
    return out, register, quality


def test_every_output_is_written(screened):
    out, register, quality = screened
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0, name
    assert quality["lines_screened"] == len(register)
    assert "Heat map" in (out / "report.html").read_text()


def test_factor_points_add_up_to_the_score_on_every_line(screened):
    _, register, _ = screened
    assert len(register) > 3000
    for line in register:
        points = sum(f["points"] for f in json.loads(line["factors"]))
        assert points == pytest.approx(line["risk_score"], abs=1e-6), line["line_id"]
        assert 0 <= line["risk_score"] <= 100


def test_every_ledger_row_is_screened_or_quarantined(shared_data, screened):
    _, register, quality = screened
    for relative in LEDGERS:
        path = str(shared_data / relative)
        with open(path, encoding="utf-8") as f:
            rows = sum(1 for _ in csv.DictReader(f))
        lines = sum(1 for r in register if r["source_file"] == path)
        quarantined = {
            p["record"] for p in quality["problems"] if p["file"] == path and p["action"] == "quarantined"
        }
        assert quality["files"][path]["records_read"] == rows
        assert lines + len(quarantined) == rows, relative


def test_every_ocds_contracting_process_is_screened_or_quarantined(shared_data, screened):
    _, register, quality = screened
    for relative in OCDS:
        path = str(shared_data / relative)
        with open(path, "rb") as f:
            records = [orjson.loads(line) for line in f if line.strip()]
        ocids = {ocid(r) for r in records if ocid(r)}
        screened_ocids = {r["line_id"].split("/")[0] for r in register if r["source_file"] == path}
        quarantined = " ".join(
            p["record"] for p in quality["problems"] if p["file"] == path and p["action"] == "quarantined"
        )
        missing = [o for o in ocids if o not in screened_ocids and o not in quarantined]
        assert missing == [], relative
        without_ocid = sum(1 for r in records if not ocid(r))
        quarantined_without = [p for p in quality["problems"] if p["file"] == path and "ocid" in p["message"]]
        assert len(quarantined_without) >= without_ocid, relative


def test_quarantined_records_say_why(screened):
    _, _, quality = screened
    for problem in quality["problems"]:
        assert problem["file"] and problem["record"] and problem["message"]
