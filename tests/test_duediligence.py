"""Due diligence after the award, without a server: the policy file, due and overdue checks, corrective-
action deadlines, the finding's life, the escalation ladder, grievance timers, checklists and the
cost-structure check (worked figures as in docs/methodology.md, "Cost-structure check")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fairprocure import labour_cost
from fairprocure.duediligence import checklists, rules
from fairprocure.duediligence.policy import DueDiligencePolicyError, load_policy, parse_policy

POLICY = load_policy()
D = dt.date(2026, 3, 1)


def test_default_policy_sets_monitoring_frequency_by_risk_and_deadlines_by_severity():
    assert [POLICY.monitoring.frequency(level) for level in ("critical", "high", "medium", "low")] == [
        30,
        90,
        180,
        0,
    ]
    assert [POLICY.corrective_action.days(s) for s in ("critical", "major", "minor")] == [7, 30, 90]
    assert POLICY.grievance.acknowledge_days == 7


def test_policy_rejects_unknown_keys_sections_and_non_numbers(tmp_path):
    with pytest.raises(DueDiligencePolicyError, match=r"\[monitoring\].*unknown key\(s\) hihg_days"):
        parse_policy({"monitoring": {"hihg_days": 10}}, "org.toml")
    with pytest.raises(DueDiligencePolicyError, match=r"unknown section\(s\) \[grievances\]"):
        parse_policy({"grievances": {}}, "org.toml")
    with pytest.raises(DueDiligencePolicyError, match="major_days: '30' is not a whole number"):
        parse_policy({"corrective_action": {"major_days": "30"}}, "org.toml")
    with pytest.raises(DueDiligencePolicyError, match="acknowledge_days must be above zero"):
        parse_policy({"grievance": {"acknowledge_days": 0}}, "org.toml")
    own = tmp_path / "due-diligence.toml"
    own.write_text("[monitoring]\nhigh_days = 60\n")
    policy = load_policy(own)
    assert policy.monitoring.high_days == 60 and policy.monitoring.critical_days == 30
    assert policy.source == str(own)


def test_the_organisations_file_in_home_is_used(tmp_path, monkeypatch):
    (tmp_path / "due-diligence.toml").write_text("[corrective_action]\nmajor_days = 21\n")
    monkeypatch.setenv("FAIRPROCURE_HOME", str(tmp_path))
    monkeypatch.delenv("FAIRPROCURE_DUE_DILIGENCE_POLICY", raising=False)
    assert load_policy().corrective_action.major_days == 21


def test_next_check_is_due_a_frequency_after_the_last_check_and_then_overdue():
    due = rules.next_check_due(D, 90, None)
    assert due == dt.date(2026, 5, 30)
    assert rules.next_check_due(D, 90, dt.date(2026, 4, 15)) == dt.date(2026, 7, 14)
    assert rules.next_check_due(D, 0, None) is None
    assert rules.check_state(due, dt.date(2026, 4, 1), 14) == rules.UPCOMING
    assert rules.check_state(due, dt.date(2026, 5, 20), 14) == rules.DUE_SOON
    assert rules.check_state(due, due, 14) == rules.DUE_SOON
    assert rules.check_state(due, dt.date(2026, 5, 31), 14) == rules.OVERDUE
    assert rules.check_state(None, D, 14) == rules.NOT_SCHEDULED


def test_monitoring_level_follows_the_assessment():
    assert rules.monitoring_level("medium", True) == "high"
    assert rules.monitoring_level("critical", True) == "critical"
    assert rules.monitoring_level("critical", False) == "medium"
    assert rules.monitoring_level("low", None) == "low"


def test_corrective_action_deadline_by_severity():
    assert rules.cap_deadline(D, "critical", POLICY) == dt.date(2026, 3, 8)
    assert rules.cap_deadline(D, "major", POLICY) == dt.date(2026, 3, 31)
    assert rules.cap_deadline(D, "minor", POLICY) == dt.date(2026, 5, 30)


def test_a_finding_moves_open_plan_evidence_verified_closed_and_no_shortcut():
    state = rules.OPEN
    with pytest.raises(rules.TransitionError, match="root cause"):
        rules.move_finding(state, rules.PLAN_AGREED, plan_complete=False)
    with pytest.raises(rules.TransitionError, match="cannot go from open to closed"):
        rules.move_finding(state, rules.CLOSED)
    state = rules.move_finding(state, rules.PLAN_AGREED)
    with pytest.raises(rules.TransitionError, match="evidence"):
        rules.move_finding(state, rules.EVIDENCE_SUBMITTED, evidence=False)
    state = rules.move_finding(state, rules.EVIDENCE_SUBMITTED)
    assert rules.move_finding(state, rules.PLAN_AGREED) == rules.PLAN_AGREED  # sent back
    state = rules.move_finding(rules.move_finding(state, rules.VERIFIED), rules.CLOSED)
    assert state == rules.CLOSED
    assert rules.days_to_remediation(D, dt.date(2026, 3, 25)) == 24


def _step(step, reason="unpaid contributions", reform="", review=None):
    return rules.Step(step, reason, reform, review)


def test_escalation_ladder_takes_the_steps_in_turn():
    today = D
    assert rules.check_step(None, _step(rules.ENGAGEMENT), today=today)
    with pytest.raises(rules.TransitionError, match="remediation before termination"):
        rules.check_step(
            rules.ENGAGEMENT, _step(rules.SUSPENSION, reform="x", review=D.replace(month=6)), today=today
        )
    rules.check_step(rules.ENGAGEMENT, _step(rules.CORRECTIVE_PLAN), today=today)
    with pytest.raises(rules.TransitionError, match="which reform is required"):
        rules.check_step(
            rules.CORRECTIVE_PLAN, _step(rules.SUSPENSION, review=D.replace(month=6)), today=today
        )
    with pytest.raises(rules.TransitionError, match="review date after today"):
        rules.check_step(
            rules.CORRECTIVE_PLAN, _step(rules.SUSPENSION, reform="pay arrears", review=D), today=today
        )
    rules.check_step(
        rules.CORRECTIVE_PLAN,
        _step(rules.SUSPENSION, reform="pay arrears", review=D.replace(month=6)),
        today=today,
    )
    rules.check_step(rules.SUSPENSION, _step(rules.TERMINATION), today=today)
    rules.check_step(rules.SUSPENSION, _step(rules.REINSTATED), today=today)
    with pytest.raises(rules.TransitionError, match="only a suspended supplier"):
        rules.check_step(rules.CORRECTIVE_PLAN, _step(rules.REINSTATED), today=today)
    with pytest.raises(rules.TransitionError, match="ended"):
        rules.check_step(rules.TERMINATION, _step(rules.EXCLUSION), today=today)
    with pytest.raises(rules.TransitionError, match="reason"):
        rules.check_step(None, _step(rules.ENGAGEMENT, reason="  "), today=today)
    with pytest.raises(rules.TransitionError, match="the next step is higher"):
        rules.check_step(rules.CORRECTIVE_PLAN, _step(rules.ENGAGEMENT), today=today)


def test_a_critical_finding_may_skip_to_termination():
    assert (
        rules.check_step(None, _step(rules.TERMINATION), today=D, critical_finding=True).step
        == rules.TERMINATION
    )


def test_grievance_acknowledgement_timer():
    received = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    deadline = rules.acknowledge_by(received, POLICY)
    assert deadline == dt.datetime(2026, 3, 8, 9, 0, tzinfo=dt.UTC)
    assert rules.acknowledgement_state(received, None, received, POLICY) == rules.PENDING
    assert (
        rules.acknowledgement_state(received, None, deadline + dt.timedelta(minutes=1), POLICY)
        == rules.ACK_OVERDUE
    )
    assert rules.acknowledgement_state(received, deadline, deadline, POLICY) == rules.IN_TIME
    late = deadline + dt.timedelta(hours=1)
    assert rules.acknowledgement_state(received, late, late, POLICY) == rules.LATE


def test_checklists_per_service_have_the_common_items_and_their_own():
    lists = checklists.checklists()
    assert set(lists) == {
        "cleaning",
        "security",
        "catering",
        "hotels_conferences",
        "construction_works",
        "generic",
    }
    common = {
        "wages", "hours", "contributions", "written_contract", "identity_documents", "recruitment_fees",
        "housing_transport", "equipment", "training", "subcontractors",
    }  # fmt: skip
    for checklist in lists.values():
        assert common <= {i.key for i in checklist.items}
        assert all(i.en and i.ru for i in checklist.items)
    assert {"liability_insurance", "uniforms"} <= {i.key for i in lists["security"].items}
    assert checklists.checklist_for("security").service == "security"
    assert checklists.checklist_for("coffee").service == "generic"
    assert len(checklists.indicators()) == 11
    touched = checklists.indicators_touched(
        lists["security"], {"contributions": "issue", "uniforms": "issue", "hours": "ok"}
    )
    assert touched == ["withholding_of_wages"]


# The cost-structure check: the SAME functions as the tender's abnormally-low-bid check.
FLOOR = labour_cost.WageFloor(
    "TJK",
    "cleaning",
    Decimal(1000),
    "TJS",
    "month",
    Decimal(160),
    dt.date(2024, 1, 1),
    "legal_minimum",
    "test",
)
ROLES = [
    {"name": "cleaner", "headcount": "8", "hours_per_month": "168", "overtime_hours_per_month": "10",
     "overtime_premium": "0.5"},
]  # fmt: skip


def _cleaning_cost():
    return labour_cost.lawful_cost(
        labour_cost.roles_at_floor(ROLES, FLOOR),
        months="6",
        contribution_rate="0.25",
        other_costs={"protective gear and chemicals": "1500"},
        currency="TJS",
    )


def test_cost_check_flags_a_cleaning_contract_priced_below_the_lawful_cost_of_its_hours():
    # 8 cleaners x (168 h + 10 h x 1.5) = 1,464 paid hours a month x 6 months x 6.25 TJS/h = 54,900
    # + 25% contributions 13,725 + gear 1,500 = 70,125 TJS.
    cost = _cleaning_cost()
    assert labour_cost.money(cost.wages) == Decimal("54900.00")
    assert labour_cost.money(cost.contributions) == Decimal("13725.00")
    assert labour_cost.money(cost.total) == Decimal("70125.00")
    low = labour_cost.check_price("66000", cost)
    assert low.below and labour_cost.money(low.gap) == Decimal("-4125.00")
    assert "cannot pay lawful wages" in low.explain()


def test_cost_check_passes_a_cleaning_contract_priced_above_it():
    high = labour_cost.check_price("72000", _cleaning_cost())
    assert not high.below and labour_cost.money(high.gap) == Decimal("1875.00")
    assert f"{(high.ratio - 1) * 100:.1f}" == "2.7"


def test_an_agreed_rate_above_the_floor_is_the_rate_costed():
    roles = labour_cost.roles_at_floor(
        [{"headcount": 1, "hours_per_month": 100, "hourly_wage": "7.00"}], FLOOR
    )
    assert roles[0].hourly_wage == Decimal("7.00")
    roles = labour_cost.roles_at_floor([{"headcount": 1, "hours_per_month": 100, "hourly_wage": "5"}], FLOOR)
    assert roles[0].hourly_wage == Decimal("6.25")
