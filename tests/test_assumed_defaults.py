"""The run's assumed currency and office country: used where the data say nothing, and said on the line."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from fairprocure.cli import main
from fairprocure.ingest import Mapping, read_sources
from fairprocure.screening import with_defaults

LEDGER = "Supplier,Amount,Description,Currency,Country\nAcme Ltd,100.00,Office cleaning,,\nBeta GmbH,50.00,Gloves,EUR,DEU\n"


def test_assumed_currency_and_office_country_fill_only_the_gaps(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER)
    mapping = with_defaults(Mapping(), ("GBP", "--currency"), ("United Kingdom", "--office-country"))
    first, second = read_sources([path], mapping).lines.to_pylist()
    assert (first["currency"], first["delivery_country"]) == ("GBP", "GBR")
    assert first["value_eur"] and first["value_eur"] != first["value"]
    issues = [i["text"] if isinstance(i, dict) else i for i in json.loads(first["data_issues"])]
    assert {i.get("t") for i in json.loads(first["data_issues"])} >= {
        "data.assumed_currency",
        "data.office_country",
    }
    assert "currency: not in the data; assumed GBP (--currency)" in issues
    assert any("office's country United Kingdom (--office-country)" in i for i in issues)
    assert (second["currency"], second["delivery_country"], second["data_issues"]) == ("EUR", "DEU", None)


def test_an_unknown_currency_or_country_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown currency 'XXY'"):
        with_defaults(Mapping(), "xxy", None)
    with pytest.raises(ValueError, match="unknown country 'Atlantis'"):
        with_defaults(Mapping(), None, "Atlantis")


def test_screen_takes_currency_and_office_country(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER)
    out = tmp_path / "out"
    args = ["screen", str(path), "--out", str(out), "-q", "--currency", "gbp", "--office-country", "GBR"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    register = pq.read_table(out / "register.parquet").to_pylist()
    assert {r["currency"] for r in register} == {"GBP", "EUR"}
    assert all(r["value_eur"] for r in register)
    bad = CliRunner().invoke(main, [*args[:-4], "--currency", "pounds"])
    assert bad.exit_code != 0 and "unknown currency" in bad.output


def test_screen_says_how_to_give_what_the_data_leave_out(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "Supplier,Amount,Description\nAcme Ltd,100.00,Office cleaning\nBeta Ltd,80.00,Security guards\n"
    )
    args = ["screen", str(path), "--out", str(tmp_path / "out"), "-q"]
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert "pass --currency CODE" in plain.output and "pass --office-country CODE" in plain.output
    given = CliRunner().invoke(main, [*args, "--currency", "GBP", "--office-country", "GBR"])
    assert given.exit_code == 0, given.output
    assert "--currency CODE" not in given.output and "--office-country CODE" not in given.output
