"""Action plans: the starter-plan rules, the roadmap, drafting and approval, progress, the library, KPIs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.rollup import link_keys
from fairprocure.web.contracts.services import assess
from fairprocure.web.kpis.table import compute_table
from fairprocure.web.plans import roadmap, services, starter
from fairprocure.web.plans.library import THEMES, shipped
from fairprocure.web.plans.models import Action, LibraryAction
from web.workspace_helpers import office, register_table, screen_into, user

TODAY = dt.date(2026, 5, 15)


def _risk(pk, categories, high=True, value=100.0, suppliers=("S",)):
    return starter.ContractRisk(pk, f"C{pk}", tuple(categories), tuple(suppliers), value, high)


def test_starter_suggests_category_actions_for_high_risk_contracts_only():
    library = [
        starter.Entry("wage-clause", ("cleaning", "security"), "clauses"),
        starter.Entry("factory-disclosure", ("electronics_ict",), "transparency"),
        starter.Entry("code-of-conduct", ("*",), "clauses"),
    ]
    contracts = [
        _risk(1, ["cleaning"], value=500),
        _risk(2, ["security", "catering"], value=300),
        _risk(3, ["electronics_ict"], high=False, value=900),  # not high: nothing for phones
    ]
    found = {s.entry: s for s in starter.suggest(contracts, library)}
    assert set(found) == {"wage-clause", "code-of-conduct"}
    assert found["wage-clause"].contracts == [1, 2] and found["wage-clause"].categories == [
        "cleaning",
        "security",
    ]
    assert found["wage-clause"].value_eur == 800
    assert found["code-of-conduct"].categories == [] and found["code-of-conduct"].contracts == [1, 2]
    assert starter.suggest([_risk(4, ["coffee"], high=False)], library) == []


def test_roadmap_slots_by_quarter_of_the_plan_year():
    assert roadmap.slot(2026, dt.date(2026, 1, 1)) == "Q1"
    assert roadmap.slot(2026, dt.date(2026, 6, 30)) == "Q2"
    assert roadmap.slot(2026, dt.date(2026, 7, 1)) == "Q3"
    assert roadmap.slot(2026, dt.date(2026, 12, 31)) == "Q4"
    assert roadmap.slot(2026, dt.date(2025, 12, 31)) == "earlier"
    assert roadmap.slot(2026, dt.date(2027, 1, 1)) == "later"
    assert roadmap.slot(2026, None) == "undated"


def test_an_open_action_past_its_due_date_is_overdue_a_done_one_is_not():
    action = Action(title="x", due_date=dt.date(2026, 3, 31), status="planned")
    assert action.overdue(TODAY)
    action.status = "done"
    assert not action.overdue(TODAY)
    assert not Action(title="y", due_date=None).overdue(TODAY)


def test_the_shipped_library_is_complete_sourced_and_in_russian(db):
    entries = shipped()
    assert len(entries) >= 12
    for entry in entries:
        assert entry["theme"] in THEMES and entry["sources"] and all(s["name"] for s in entry["sources"])
        assert entry["title_ru"] != entry["title_en"] and entry["text_ru"]
    covered = {c for e in entries for c in e["categories"]}
    assert {"cleaning", "security", "electronics_ict", "coffee", "hotels_conferences", "*"} <= covered
    assert LibraryAction.objects.count() == len(entries)  # copied in at migrate


def test_the_organisation_edits_the_library_and_a_sync_keeps_its_text(db):
    from fairprocure.web.plans.library import sync_library

    entry = LibraryAction.objects.get(key="payroll-check")
    services.save_library_entry(
        entry, user("focal", "focal_point", all_offices=True), title_en="Monthly payroll check"
    )
    LibraryAction.objects.filter(key="origin-disclosure").delete()
    assert sync_library() == 1
    assert LibraryAction.objects.get(key="payroll-check").title_en == "Monthly payroll check"
    assert AuditEvent.objects.filter(action="library.edited", target="payroll-check").exists()


@pytest.fixture
def office_a(db, monkeypatch):
    a = office("A")
    screen_into(a, register_table(6), monkeypatch)  # L0 and L3: garments, high; the others low
    return a


def test_draft_approve_reopen_and_progress_are_recorded(office_a):
    focal, boss = user("focal", "focal_point", "A"), user("boss", "management")
    buyer = user("buyer", "procurement_officer", "A")
    plan = services.create_plan(office_a, 2026, focal)
    with pytest.raises(ValueError, match="without actions"):
        services.approve(plan, boss)
    goal = services.add_goal(plan, "Know our garment suppliers", focal)
    action = services.add_action(
        plan, focal, title="Factory list from the uniform supplier", goal=goal, owner=buyer, due_date=TODAY
    )
    with pytest.raises(ValueError, match="may not act"):
        services.add_action(plan, focal, title="x", owner=boss)
    services.approve(plan, boss, "Agreed at the management meeting")
    with pytest.raises(ValueError, match="reopen"):
        services.add_action(plan, focal, title="Another")
    with pytest.raises(ValueError, match="evidence"):
        services.report_progress(action, buyer, "done")
    services.report_progress(action, buyer, "done", "Factory list received 2026-05-02, filed as DOC-17")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == timezone.localdate()
    services.reopen(plan, focal, "Add the catering contract")
    plan.refresh_from_db()
    assert plan.status == "draft"
    verbs = list(AuditEvent.objects.filter(office=office_a).values_list("action", flat=True))
    for verb in (
        "plan.created",
        "plan.goal_added",
        "action.added",
        "plan.approved",
        "action.progress",
        "plan.reopened",
    ):
        assert verb in verbs


def test_the_starter_plan_of_an_office_links_its_high_risk_contracts(office_a):
    focal = user("focal", "focal_point", "A")
    plan = services.create_plan(office_a, 2026, focal)
    found = services.suggestions_for(plan)
    keys = {s.entry for s, _, _ in found}
    assert "factory-disclosure" in keys and "code-of-conduct-clauses" in keys  # garments are high
    assert "payroll-check" not in keys  # no high-risk cleaning or security here
    suggestion, _entry, contracts = next(x for x in found if x[0].entry == "factory-disclosure")
    assert {c.key for c in contracts} == {"id:C-L0", "id:C-L3"}
    action = services.accept_suggestion(plan, focal, suggestion, title="Factory list for uniforms")
    assert action.goal.title == str(THEMES["transparency"]) and action.library_key == "factory-disclosure"
    assert {c.key for c in action.contracts.all()} == {"id:C-L0", "id:C-L3"}


def test_plan_kpis_count_the_records(office_a):
    focal, boss = user("focal", "focal_point", "A"), user("boss", "management")
    year = timezone.now().year
    plan = services.create_plan(office_a, year, focal)
    high = Contract.objects.get(office=office_a, key="id:C-L0")
    other_high = Contract.objects.get(office=office_a, key="id:C-L3")
    done = services.add_action(plan, focal, title="Clause", contracts=[high])
    services.add_action(plan, focal, title="Late one", due_date=dt.date(2000, 1, 1))
    services.approve(plan, boss)
    services.report_progress(done, focal, "done", "Clause signed into contract C-L0")
    table = compute_table([office_a], year)
    assert table.value("approved_action_plans") == 1
    assert table.value("actions_done") == 1 and table.value("actions_overdue") == 1
    # C-L0 (1,000 EUR) covered, C-L3 (4,000 EUR) not: 20 %
    assert table.value("high_risk_spend_covered") == pytest.approx(100 * 1000 / 5000)
    assess(other_high, False, "Stock uniforms from an audited EU maker.", "", focal)  # no longer high risk
    assert compute_table([office_a], year).value("high_risk_spend_covered") == pytest.approx(100.0)


def test_plan_pages_show_the_roadmap_with_overdue_actions_marked(office_a, client):
    focal = user("focal", "focal_point", "A")
    plan = services.create_plan(office_a, 2026, focal)
    services.add_action(
        plan, focal, title="Brief the uniform suppliers", owner=focal, due_date=dt.date(2026, 2, 1)
    )
    client.force_login(focal)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'class="overdue"' in page and "Q1 2026" in page and "overdue</strong>" in page
    mine = client.get("/plans/mine/").content.decode()
    assert "Brief the uniform suppliers" in mine
    response = client.post(
        f"/plans/{plan.pk}/starter/",
        {"keep-0": "1", "title-0": "Edited title", "due-0": "2026-09-30"},
    )
    assert response.status_code == 302
    assert plan.actions.filter(title="Edited title", due_date=dt.date(2026, 9, 30)).exists()


def test_high_risk_spend_is_covered_by_contract_category_or_supplier_spelling_within_the_year(db):
    from fairprocure.web.plans.kpis import spend_covered

    b = office("B")
    focal = user("focal-b", "focal_point", "B")

    def contract(key, value, *, years, category="cleaning", supplier="Shine LLC", high=None, level="high"):
        first = dt.date(min(years), 1, 5) if years else None
        last = dt.date(max(years), 11, 5) if years else None
        return Contract.objects.create(
            office=b, key=key, value_eur=value, high_risk=high, top_level=level,
            categories=[{"category": category, "label": category, "value_eur": value}],
            suppliers=[{"name": supplier, "value_eur": value}],
            years=years, first_date=first, last_date=last, link_keys=link_keys([category], [supplier]),
        )  # fmt: skip

    by_link = contract("id:1", 100, years=[2026], category="garments", supplier="Uniforms Ltd")
    contract("id:2", 200, years=[2026], category="cleaning", supplier="Other")  # category named
    contract("id:3", 300, years=[2026], category="coffee", supplier="SHINE, LLC")  # supplier spelling
    contract("id:4", 400, years=[2025, 2027], category="coffee", supplier="Gap Year")  # spans 2026
    contract("id:5", 500, years=[], category="security", supplier="Undated")  # undated: counts, not covered
    contract("id:6", 600, years=[2026], high=False, category="cleaning")  # assessed not high
    contract("id:7", 700, years=[2026], level="low", category="coffee", supplier="Low")  # lines low
    contract("id:8", 800, years=[2026], high=True, level="low", category="ict", supplier="Dropped")
    plan = services.create_plan(b, 2026, focal)
    services.add_action(plan, focal, title="Clause", contracts=[by_link])
    services.add_action(plan, focal, title="Payroll checks", categories=["cleaning"], suppliers=["Shine LLC"])
    dropped = services.add_action(plan, focal, title="ICT", suppliers=["Dropped"])
    dropped.status = Action.Status.DROPPED
    dropped.save()
    found = spend_covered(2026, [b])[b.pk]
    assert (found.value, found.base) == (100 + 200 + 300, 100 + 200 + 300 + 400 + 500 + 800)
    assert spend_covered(2025, [b])[b.pk].base == 400 + 500  # the 2025 plan has no actions
    assert spend_covered(2028, [b])[b.pk].base == 500  # only the undated one
    assert spend_covered(2026, [office("C")]) == {}


def test_an_action_naming_a_supplier_covers_every_spelling_the_registry_files_under_it(db):
    from fairprocure.web.contracts.suppliers import registry_spellings
    from fairprocure.web.plans.kpis import spend_covered
    from fairprocure.web.suppliers import registry

    c = office("C")
    focal = user("focal-c", "focal_point", "C")
    for key, name, value in (("id:1", "Clean Team Services", 300), ("id:2", "Unrelated Ltd", 700)):
        Contract.objects.create(
            office=c, key=key, value_eur=value, high_risk=True, top_level="high", years=[2026],
            first_date=dt.date(2026, 2, 1), last_date=dt.date(2026, 3, 1),
            suppliers=[{"name": name, "value_eur": value}], categories=[], link_keys=link_keys([], [name]),
        )  # fmt: skip
    plan = services.create_plan(c, 2026, focal)
    services.add_action(plan, focal, title="Payroll checks", suppliers=["Toza Shahr LLC"])
    assert spend_covered(2026, [c])[c.pk].value == 0  # two names, nothing says they are one supplier
    assert registry_spellings(["Toza Shahr LLC"]) == {"toza shahr"}  # looked up, not filed
    toza, clean = registry.resolve("Toza Shahr"), registry.resolve("Clean Team Services")
    registry.merge(toza, clean, focal)  # a person found they are one company
    assert registry_spellings(["Toza Shahr LLC"]) == {"toza shahr", "clean team services"}
    assert spend_covered(2026, [c])[c.pk].value == 300


def test_link_keys_hold_category_ids_and_normalised_supplier_names():
    assert link_keys(["cleaning", "", "security"], ["ООО «Чистый Дом»", "Toza Shahr LLC", ""]) == (
        "|c:cleaning|c:security|s:chistyy dom|s:toza shahr|"
    )
    assert link_keys([], []) == ""
