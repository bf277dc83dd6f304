"""A remembered supplier category (the workspace's supplier memory): only where the text model is not sure."""

import pytest
from conftest import keyword_stub

from fairprocure.classify.decisions import load_decisions
from fairprocure.screening import screen

LINES = (
    "Description,Supplier,Amount,Currency,Date\n"
    "Coffee capsules for the kitchen,Acme Trading,400,EUR,2025-02-03\n"  # text not sure (coffee 30%)
    "Quarterly retainer,ACME trading ltd.,5000,EUR,2025-02-04\n"  # nothing usable in the text
    "Office cleaning,Acme Trading,800,EUR,2025-02-05\n"  # text sure: cleaning
    "Coffee capsules for the kitchen,Kaffee Handel AG,900,EUR,2025-02-01\n"  # another supplier
    "Projekt Blauwal,Acme Trading,300,EUR,2025-02-06\n"  # a person's decision on the description
)
DECISIONS = (
    "description,supplier,cpv,category,note,learned_from\n"
    ",Acme Trading,,staffing_recruitment,,3\n"
    "Projekt Blauwal,,90910000,,warehouse cleaning,\n"
)


@pytest.fixture
def screened(tmp_path):
    lines, decisions = tmp_path / "lines.csv", tmp_path / "decisions.csv"
    lines.write_text(LINES)
    decisions.write_text(DECISIONS)
    rows = screen([lines], classifier=keyword_stub, decisions=decisions).register.to_pylist()
    return {(r["description"], r["supplier_name"]): r for r in rows}


def test_a_remembered_category_classifies_only_the_supplier_s_unsure_lines(screened):
    for key in (
        ("Coffee capsules for the kitchen", "Acme Trading"),
        ("Quarterly retainer", "ACME trading ltd."),
    ):
        row = screened[key]
        assert (row["category"], row["classification_status"]) == ("staffing_recruitment", "decision")
        assert row["classification_evidence"] == (
            "remembered from people's decisions on 3 descriptions of the supplier 'Acme Trading': "
            "Temporary staffing and recruitment agencies"
        )
        assert '"t":"class.remembered"' in row["classification_message"]
    sure = screened[("Office cleaning", "Acme Trading")]
    assert (sure["category"], sure["classification_status"]) == ("cleaning", "sure")
    other = screened[("Coffee capsules for the kitchen", "Kaffee Handel AG")]
    assert (other["category"], other["classification_status"]) == ("coffee", "needs_review")
    decided = screened[("Projekt Blauwal", "Acme Trading")]  # a person's decision wins over the memory
    assert decided["category"] == "cleaning" and "warehouse cleaning" in decided["classification_evidence"]


def test_match_applies_the_memory_only_when_told_the_text_is_unsure(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(DECISIONS)
    decisions = load_decisions(path)
    assert decisions.match("anything", "Acme Trading") is None
    assert decisions.match("anything", "Acme Trading", unsure=True).category == "staffing_recruitment"
    assert [e.text for e in decisions.examples()] == ["Projekt Blauwal"]  # a remembered row teaches no text


@pytest.mark.parametrize(
    "row",
    ["x,Acme,,consulting,,3", ",Acme,,consulting,,three", ",,,consulting,,3"],
)
def test_a_bad_remembered_row_names_the_row_and_the_column(tmp_path, row):
    path = tmp_path / "decisions.csv"
    path.write_text("description,supplier,cpv,category,note,learned_from\n" + row + "\n")
    with pytest.raises(ValueError, match=r"row 2"):
        load_decisions(path)
