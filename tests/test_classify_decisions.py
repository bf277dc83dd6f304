"""People's classification decisions: read from a file, applied during screening, used for retraining."""

import csv
import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, keyword_stub

from fairprocure.classify.decisions import Decision, Decisions, load_decisions
from fairprocure.cli import main
from fairprocure.screening import screen

LINES = FIXTURES / "screening" / "uncoded_lines.csv"
DECISIONS = FIXTURES / "screening" / "decisions.csv"


def by_description_and_supplier(screening):
    return {(r["description"], r["supplier_name"]): r for r in screening.register.to_pylist()}


def test_a_decision_file_is_read_with_its_codes_and_categories():
    decisions = load_decisions(DECISIONS)
    assert len(decisions) == 3
    blauwal = decisions.match("PROJEKT  Blauwal", "anyone")  # normalised text matches
    assert (blauwal.cpv, blauwal.resolved_category) == ("90910000", "cleaning")
    assert decisions.match("Consultancy support", "acme trading.").category == "staffing_recruitment"
    assert decisions.match("Coffee capsules for the kitchen", "Acme Trading").cpv == "15861000"
    assert decisions.match("Coffee capsules for the kitchen", "Kaffee Handel AG") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("description,cpv\nCoffee,coffee\n", r"row 2, column 'cpv': 'coffee' is not a CPV code"),
        ("description,category\nCoffee,kaffee\n", r"row 2, column 'category': 'kaffee' is not a category"),
        ("description,cpv\n,15861000\n", r"row 2: a decision needs a description or a supplier"),
        ("supplier,cpv,category\nAcme,,\n", r"row 2: a decision needs a cpv code or a category"),
        (
            "text,label\nCoffee,15861000\n",
            r"needs a description or supplier column and a cpv or category column",
        ),
    ],
)
def test_a_bad_decision_file_names_the_row_and_the_field(tmp_path, content, message):
    path = tmp_path / "decisions.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_decisions(path)


def test_decisions_classify_matching_lines_most_specific_first():
    rows = by_description_and_supplier(screen([LINES], classifier=keyword_stub, decisions=DECISIONS))
    # Description decision: every supplier's lines with that description.
    for supplier in ("Blauwal Lager KG", "Other Supplier"):
        row = rows[("Projekt Blauwal", supplier)]
        assert (row["classification_status"], row["cpv_source"]) == ("decision", "decision")
        assert (row["cpv"], row["category"], row["category_confidence"]) == ("90910000", "cleaning", 1.0)
        assert "warehouse cleaning contract" in row["classification_evidence"]
        assert row["category_candidates"] is None
    # Description and supplier beat the supplier's own decision; the supplier's decides the rest.
    assert rows[("Coffee capsules for the kitchen", "Acme Trading")]["category"] == "coffee"
    consultancy = rows[("Consultancy support", "Acme Trading")]
    assert (consultancy["category"], consultancy["cpv"]) == ("staffing_recruitment", None)
    # No decision: the text reading stands.
    other = rows[("Coffee capsules for the kitchen", "Kaffee Handel AG")]
    assert other["classification_status"] == "needs_review"  # the stub reads coffee at 0.3


def test_a_decision_takes_the_uncertainty_points_away():
    def points(screening, description, supplier):
        row = by_description_and_supplier(screening)[(description, supplier)]
        return {f["factor"] for f in json.loads(row["factors"])}

    before = screen([LINES], classifier=keyword_stub)
    after = screen([LINES], classifier=keyword_stub, decisions=DECISIONS)
    line = ("Projekt Blauwal", "Other Supplier")
    assert {"category_unknown", "uncertain_category"} <= points(before, *line)
    factors = points(after, *line)
    assert "uncertain_category" not in factors and "category_unknown" not in factors
    assert "category_on_premises" in factors  # cleaning's own points, in full


def test_a_source_code_is_not_overridden_by_a_decision(tmp_path):
    ledger = tmp_path / "coded.csv"
    ledger.write_text(
        "Description,CPV,Supplier,Amount,Currency,Date\nProjekt Blauwal,15861000,X,10,EUR,2025-01-01\n"
    )
    (row,) = screen([ledger], classifier=keyword_stub, decisions=DECISIONS).register.to_pylist()
    assert (row["classification_status"], row["category"]) == ("source", "coffee")


def test_decisions_are_training_examples():
    examples = load_decisions(DECISIONS).examples()
    assert [(e.text, e.cpv, e.source) for e in examples] == [
        ("Projekt Blauwal", "90910000", "user"),
        ("Coffee capsules for the kitchen", "15861000", "user"),
    ]
    assert Decisions([Decision(supplier="Acme", category="cleaning")]).examples() == []


def test_the_cli_screens_with_a_decision_file(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["screen", str(LINES), "--decisions", str(DECISIONS), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    with (out / "register.csv").open(encoding="utf-8") as fh:
        statuses = {r["description"]: r["classification_status"] for r in csv.DictReader(fh)}
    assert statuses["Projekt Blauwal"] == "decision"


def test_the_cli_names_a_bad_decision_file(tmp_path):
    bad = tmp_path / "decisions.csv"
    bad.write_text("description,cpv\nCoffee,coffee\n")
    result = CliRunner().invoke(main, ["screen", str(LINES), "--decisions", str(bad), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "row 2, column 'cpv'" in result.output
