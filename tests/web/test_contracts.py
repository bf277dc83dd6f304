"""Contracts: the roll-up rules, the roll-up after a screening, assessment, status, and survival."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.contracts import rollup
from fairprocure.web.contracts.models import Assessment, Contract
from fairprocure.web.contracts.services import assess, change_status
from fairprocure.web.plans import services as plans
from fairprocure.web.plans.models import Action, ActionPlan
from fairprocure.web.register.decisions import decide
from fairprocure.web.register.models import Decision, Line
from web.workspace_helpers import office, register_table, screen_into, user


def test_supplier_spellings_and_legal_forms_normalise_alike():
    assert rollup.normalise_supplier("ООО «Чистый Дом»") == "chistyy dom"
    assert rollup.normalise_supplier("CHISTYY DOM, OOO") == "chistyy dom"
    assert rollup.normalise_supplier("Acme Cleaning Ltd.") == rollup.normalise_supplier(
        "ACME  cleaning limited"
    )
    assert rollup.normalise_supplier(None) == ""


def test_lines_with_an_id_key_on_it_and_the_others_on_supplier_and_year():
    assert rollup.contract_key(" PO-7 ", "Anyone", dt.date(2026, 3, 1)) == "id:PO-7"
    assert rollup.contract_key("", "Acme Ltd", dt.date(2026, 3, 1)) == "group:acme|2026"
    assert rollup.contract_key(None, "ACME", dt.date(2026, 12, 31)) == "group:acme|2026"
    assert rollup.contract_key(None, "ACME", dt.date(2025, 12, 31)) == "group:acme|2025"
    assert rollup.contract_key(None, "ACME", None) == "group:acme|undated"


def _group(contract_id, supplier, year, level, n=1, value=100.0, score=50.0, category="cleaning"):
    day = dt.date(year, 6, 1) if year else None
    return {
        "contract_id": contract_id,
        "supplier_name": supplier,
        "year": year,
        "category": category,
        "category_label": category,
        "level": level,
        "lines": n,
        "value_eur": value,
        "top_score": score,
        "first_date": day,
        "last_date": day,
    }


def test_roll_up_merges_groups_into_contracts_with_their_figures():
    found = rollup.roll_up(
        [
            _group("C1", "Acme", 2026, "high", n=2, value=300, score=72),
            _group("C1", "Acme Ltd", 2025, "low", n=1, value=50, score=20, category="catering"),
            _group("", "Beta LLC", 2026, "medium", n=3, value=90, score=41),
            _group("", "BETA", 2026, "critical", n=1, value=10, score=88),
            _group("", "Beta", None, "low"),
        ]
    )
    assert set(found) == {"id:C1", "group:beta|2026", "group:beta|undated"}
    c1 = found["id:C1"]
    assert (c1.lines, c1.value_eur, c1.high_lines, c1.top_score, c1.top_level) == (3, 350, 2, 72, "high")
    assert c1.suppliers == {"Acme": 300, "Acme Ltd": 50} and c1.categories == {
        "cleaning": 300,
        "catering": 50,
    }
    assert (c1.first_date, c1.last_date) == (dt.date(2025, 6, 1), dt.date(2026, 6, 1))
    beta = found["group:beta|2026"]
    assert beta.grouped and beta.period == "2026" and beta.supplier_key == "beta"
    assert (beta.lines, beta.top_level, beta.high_lines, set(beta.suppliers)) == (
        4,
        "critical",
        1,
        {"Beta LLC", "BETA"},
    )


def _table_with_ungrouped(prefix: str = "L") -> pa.Table:
    """Six lines: four with contract ids, two of one supplier (two spellings) without, dated 2026."""
    table = register_table(6, prefix=prefix).to_pylist()
    for row in table[4:]:
        row["contract_id"] = None
        row["date"] = dt.date(2026, 5, 4)
    table[4]["supplier_name"], table[5]["supplier_name"] = "Clean Co Ltd", "CLEAN CO"
    return pa.Table.from_pylist(table, schema=register_table(1).schema)


def test_a_screening_rolls_its_lines_up_into_contracts(db, monkeypatch):
    a = office("A")
    screen_into(a, _table_with_ungrouped(), monkeypatch)
    contracts = {c.key: c for c in Contract.objects.filter(office=a)}
    assert set(contracts) == {"id:C-L0", "id:C-L1", "id:C-L2", "id:C-L3", "group:clean|2026"}
    grouped = contracts["group:clean|2026"]
    assert grouped.grouped and grouped.line_count == 2 and grouped.lines().count() == 2
    assert set(grouped.supplier_names) == {"Clean Co Ltd", "CLEAN CO"}
    c0 = contracts["id:C-L0"]
    assert (c0.top_level, c0.line_count, c0.value_eur, c0.status) == ("high", 1, 1000.0, "screened")
    assert list(c0.lines().values_list("line_id", flat=True)) == ["L0"]
    assert AuditEvent.objects.filter(action="contracts.rolled_up", office=a).exists()


def test_a_risk_decision_on_a_line_moves_its_contract(db, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch)
    focal = user("focal", "focal_point", "A")
    decide(
        Line.objects.get(office=a, line_id="L1"), "critical", "Workers' passports held by the agency.", focal
    )
    assert Contract.objects.get(office=a, key="id:C-L1").top_level == "critical"


def test_assessment_needs_a_justification_and_measures_when_confirmed(db, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch)
    focal = user("focal", "focal_point", "A")
    contract = Contract.objects.get(office=a, key="id:C-L0")
    with pytest.raises(ValueError, match="justification"):
        assess(contract, True, "short", "payroll checks", focal)
    with pytest.raises(ValueError, match="measures"):
        assess(contract, True, "Cleaning staff hired through an agency.", "", focal)
    assess(contract, True, "Cleaning staff hired through an agency.", "Payroll checks each quarter.", focal)
    contract.refresh_from_db()
    assert (contract.high_risk, contract.status) == (True, "assessed")
    event = AuditEvent.objects.get(action="contract.assessed")
    assert event.details["measures"] == "Payroll checks each quarter." and event.office == a


def test_status_moves_follow_the_contract_life(db, monkeypatch):
    a = office("A")
    screen_into(a, register_table(1), monkeypatch)
    buyer = user("buyer", "procurement_officer", "A")
    contract = Contract.objects.get(office=a)
    with pytest.raises(ValueError, match="cannot go from screened to screened"):
        change_status(contract, "screened", "", buyer)
    change_status(contract, "in_tender", "RFQ 2026/14 issued", buyer)
    change_status(contract, "in_force", "signed", buyer)
    with pytest.raises(ValueError, match="cannot go from in_force to assessed"):
        change_status(contract, "assessed", "", buyer)
    change_status(contract, "closed", "ended", buyer)
    assert list(contract.status_changes.values_list("new", flat=True)) == ["closed", "in_force", "in_tender"]
    assert AuditEvent.objects.filter(action="contract.status").count() == 3


def _state(office_obj) -> dict:
    """Everything a person decided about the office, as plain values."""
    return {
        "contracts": sorted(
            Contract.objects.filter(office=office_obj).values_list(
                "pk", "key", "status", "high_risk", "assessed_at"
            )
        ),
        "assessments": sorted(
            Assessment.objects.filter(contract__office=office_obj).values_list(
                "pk", "contract_id", "high_risk", "justification", "measures"
            )
        ),
        "plans": sorted(
            ActionPlan.objects.filter(office=office_obj).values_list("pk", "year", "status", "approved_at")
        ),
        "actions": sorted(
            (a.pk, a.title, a.status, a.evidence, a.due_date, tuple(sorted(c.pk for c in a.contracts.all())))
            for a in Action.objects.filter(plan__office=office_obj)
        ),
        "decisions": sorted(
            Decision.objects.filter(line__office=office_obj).values_list("pk", "line__line_id", "level")
        ),
        "decided": sorted(
            Line.objects.filter(office=office_obj, current=True)
            .exclude(decided_level="")
            .values_list("line_id", "decided_level")
        ),
    }


def test_contracts_plans_and_decisions_are_unchanged_after_the_same_data_is_screened_again(db, monkeypatch):
    a = office("A")
    screen_into(a, _table_with_ungrouped(), monkeypatch, name="2026-h1.csv")
    focal, boss = user("focal", "focal_point", "A"), user("boss", "management")
    contract = Contract.objects.get(office=a, key="id:C-L0")
    assess(contract, True, "Uniforms from a listed origin.", "Factory list and audit.", focal)
    decide(Line.objects.get(office=a, line_id="L1"), "high", "Supplier refused to name its factories.", focal)
    plan = plans.create_plan(a, 2026, focal)
    action = plans.add_action(
        plan, focal, title="Factory list", contracts=[contract], due_date=dt.date(2026, 6, 30)
    )
    plans.approve(plan, boss)
    plans.report_progress(action, focal, "done", "List received 2026-05-02")
    before = _state(a)
    screen_into(a, _table_with_ungrouped(), monkeypatch, name="2026-h1-exported-again.csv")
    assert _state(a) == before


def test_contracts_and_assessments_survive_a_new_screening_of_the_office(db, monkeypatch):
    a = office("A")
    screen_into(a, _table_with_ungrouped(), monkeypatch, name="2026-h1.csv")
    focal = user("focal", "focal_point", "A")
    grouped = Contract.objects.get(office=a, key="group:clean|2026")
    assess(grouped, True, "Cleaning on our premises via agency.", "Wage clause and payroll checks.", focal)
    before = {c.key: c.pk for c in Contract.objects.filter(office=a)}
    # The same data again, then a later export with one contract missing and one new line.
    screen_into(a, _table_with_ungrouped(prefix="L"), monkeypatch, name="2026-h1-again.csv")
    later = _table_with_ungrouped().to_pylist()[1:]
    later.append(dict(later[0], line_id="L9", contract_id="C-NEW"))
    screen_into(
        a, pa.Table.from_pylist(later, schema=register_table(1).schema), monkeypatch, name="2026-h2.csv"
    )
    after = {c.key: c.pk for c in Contract.objects.filter(office=a)}
    assert {k: after[k] for k in before} == before  # same contracts, same rows
    grouped.refresh_from_db()
    assert (grouped.high_risk, grouped.status, grouped.assessments.count()) == (True, "assessed", 1)
    assert "id:C-NEW" in after
