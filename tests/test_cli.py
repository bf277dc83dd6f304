"""The CLI: every command has --help and is documented in the README; bad input exits non-zero."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fairprocure.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = sorted(main.commands)


def test_the_screening_commands_exist():
    assert {"screen", "classify", "demo", "data", "policy"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command):
    assert re.search(rf"fairprocure {command}\b", README.read_text(encoding="utf-8")), command


def test_data_lists_every_dataset_with_its_licence():
    result = CliRunner().invoke(main, ["data"])
    assert result.exit_code == 0
    for name in ("ilab_goods", "tip_tiers", "wgi", "cpv", "ocds_schema"):
        assert name in result.output
    assert result.output.count("licence:") >= 8


def test_policy_prints_a_policy_that_loads(tmp_path):
    from fairprocure.score.policy import load_policy

    result = CliRunner().invoke(main, ["policy"])
    path = tmp_path / "policy.toml"
    path.write_text(result.output)
    assert load_policy(path).levels.high == 45


def test_a_bad_policy_fails_with_a_clear_message(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[levels]\nhihg = 1\n")
    ledger = Path(__file__).parent / "fixtures" / "screening" / "reference_cases.csv"
    result = CliRunner().invoke(
        main, ["screen", str(ledger), "--policy", str(bad), "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code != 0
    assert "unknown key(s) hihg" in result.output


def test_an_unreadable_file_is_quarantined_not_fatal(tmp_path):
    good = Path(__file__).parent / "fixtures" / "screening" / "reference_cases.csv"
    broken = tmp_path / "broken.json"
    broken.write_text('{"releases": [{"ocid": "ocds-1", ')
    result = CliRunner().invoke(
        main, ["screen", str(good), str(broken), "--out", str(tmp_path / "out"), "-q"]
    )
    assert result.exit_code == 0, result.output
    quality = json.loads((tmp_path / "out" / "quality.json").read_text())
    problems = [p for p in quality["problems"] if p["file"] == str(broken)]
    assert problems and problems[0]["action"] == "quarantined"
    assert quality["lines_screened"] == 14  # the good ledger's lines are all there


def test_classify_adds_the_predicted_columns_to_a_cp1251_csv(tmp_path):
    source = tmp_path / "lines.csv"
    source.write_bytes(
        "Описание;Сумма\nКофе в зернах 1 кг;1200\nУслуги по уборке офиса;5000\n".encode("cp1251")
    )
    result = CliRunner().invoke(main, ["classify", str(source), "--text", "Описание"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "lines.classified.csv"
    with out.open(encoding="utf-8") as f:
        import csv

        rows = list(csv.DictReader(f))
    assert [r["category"] for r in rows] == ["coffee", "cleaning"]
    assert all(r["cpv_predicted"] and r["evidence"] and 0 < float(r["confidence"]) <= 1 for r in rows)
    assert all(r["status"] in ("sure", "needs_review") and r["candidates"].startswith("[{") for r in rows)


def test_classify_names_the_missing_column(tmp_path):
    source = tmp_path / "lines.csv"
    source.write_text("Description,Amount\ncoffee,1\n")
    result = CliRunner().invoke(main, ["classify", str(source), "--text", "Item"])
    assert result.exit_code != 0
    assert "no column 'Item'" in result.output and "Description" in result.output


def test_screen_takes_your_own_indicator_tiers_and_supplier_evidence(tmp_path):
    from fairprocure.report import read_register

    ledger = Path(__file__).parent / "fixtures" / "screening" / "reference_cases.csv"
    gsi = tmp_path / "gsi.csv"
    gsi.write_text("country,score,year\nTurkmenistan,85,2023\n")
    tiers = tmp_path / "tiers.csv"
    tiers.write_text("country,year,tier\nAustria,2024,Tier 2\n")
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(
        "supplier,points,evidence,source\nclean services gmbh,-5,SMETA audit passed,audit 2024\n"
    )
    out = tmp_path / "out"
    args = [
        "screen",
        str(ledger),
        "--out",
        str(out),
        "-q",
        "--indicator",
        str(gsi),
        "--tip-tiers",
        str(tiers),
    ]
    result = CliRunner().invoke(main, [*args, "--supplier-evidence", str(evidence)])
    assert result.exit_code == 0, result.output
    lines = {r["description"]: r for r in read_register(out).to_pylist()}
    cotton = json.loads(lines["Cotton uniforms for drivers"]["factors"])
    assert any(f["factor"] == "indicator:gsi" and f["points"] == 8.5 for f in cotton)
    cleaning = json.loads(lines["Office cleaning services"]["factors"])
    assert any(f["factor"] == "supplier_evidence" and f["points"] == -5 for f in cleaning)
    assert any(f["factor"] == "country_tip_tier" and "Tier 2 in the 2024" in f["evidence"] for f in cleaning)
