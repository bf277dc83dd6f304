"""Every page and API endpoint × every role × own and other office, against the issue's role table.

A: the office the office-bound users belong to. B: another office. Allowed requests succeed,
others get 403 (401 or a login redirect when not logged in).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from fairprocure.web.accounts.models import ApiToken
from fairprocure.web.activities.services import record_activity
from fairprocure.web.plans.services import add_action, create_plan
from fairprocure.web.screenings.uploads import accept
from fairprocure.web.tenders.services import create_dossier, load_wage_floors
from web.workspace_helpers import office, register_table, screen_into, user

# What each role may do, and where: the specification, written out by hand from the issue.
# assess: a contract; act: contract status, progress on actions, activities; plan: draft action plans;
# approve: approve plans; library: edit the organisation's action library (no office, so both or neither);
# member: pages that belong to no office (my actions, the library), open to every role.
# escalate: a step of the escalation ladder on a contract (focal points, management);
# confidential: worker interviews, grievance cases and referrals, focal points ONLY (not even an
# administrator); confidential_any: the same for lists that belong to no office (cases not yet routed).
# suppliers: edit the supplier registry (no office); invite: invite suppliers and review answers (office);
# sanction: suspend, exclude, reinstate (no office); portal: the supplier portal (tested per supplier below).
# classify: classification decisions for an office (the review queue); classify_all: decisions for the whole
# organisation and its text model (roles with every office only).
ACCESS = {
    "administrator": {
        "view": "AB", "upload": "AB", "decide": "AB", "audit": "AB",
        "assess": "AB", "act": "AB", "plan": "AB", "approve": "AB", "library": "AB", "member": "AB",
        "suppliers": "AB", "invite": "AB", "sanction": "AB", "portal": "",
        "escalate": "AB", "confidential": "", "confidential_any": "",
        "classify": "AB", "classify_all": "AB",
    },
    "procurement_officer": {
        "view": "A", "upload": "A", "decide": "", "audit": "",
        "assess": "", "act": "A", "plan": "", "approve": "", "library": "", "member": "AB",
        "suppliers": "AB", "invite": "A", "sanction": "", "portal": "",
        "escalate": "", "confidential": "", "confidential_any": "",
        "classify": "", "classify_all": "",
    },
    "focal_point": {
        "view": "A", "upload": "", "decide": "A", "audit": "",
        "assess": "A", "act": "A", "plan": "A", "approve": "", "library": "AB", "member": "AB",
        "suppliers": "AB", "invite": "A", "sanction": "AB", "portal": "",
        "escalate": "A", "confidential": "A", "confidential_any": "AB",
        "classify": "A", "classify_all": "",
    },
    "focal_point_all_offices": {
        "view": "AB", "upload": "", "decide": "AB", "audit": "",
        "assess": "AB", "act": "AB", "plan": "AB", "approve": "", "library": "AB", "member": "AB",
        "suppliers": "AB", "invite": "AB", "sanction": "AB", "portal": "",
        "escalate": "AB", "confidential": "AB", "confidential_any": "AB",
        "classify": "AB", "classify_all": "AB",
    },
    "management": {
        "view": "AB", "upload": "", "decide": "", "audit": "",
        "assess": "", "act": "", "plan": "", "approve": "AB", "library": "", "member": "AB",
        "suppliers": "", "invite": "", "sanction": "AB", "portal": "",
        "escalate": "AB", "confidential": "", "confidential_any": "",
        "classify": "", "classify_all": "",
    },
    "auditor": {
        "view": "AB", "upload": "", "decide": "", "audit": "AB",
        "assess": "", "act": "", "plan": "", "approve": "", "library": "", "member": "AB",
        "suppliers": "", "invite": "", "sanction": "", "portal": "",
        "escalate": "", "confidential": "", "confidential_any": "",
        "classify": "", "classify_all": "",
    },
    "user_without_role": {
        "view": "", "upload": "", "decide": "", "audit": "",
        "assess": "", "act": "", "plan": "", "approve": "", "library": "", "member": "",
        "suppliers": "", "invite": "", "sanction": "", "portal": "",
        "escalate": "", "confidential": "", "confidential_any": "",
        "classify": "", "classify_all": "",
    },
    # A supplier's account: no office and no internal page at all (its portal is tested below).
    "supplier": {
        "view": "", "upload": "", "decide": "", "audit": "",
        "assess": "", "act": "", "plan": "", "approve": "", "library": "", "member": "",
        "suppliers": "", "invite": "", "sanction": "", "portal": "",
        "escalate": "", "confidential": "", "confidential_any": "",
        "classify": "", "classify_all": "",
    },
}  # fmt: skip

DECISION = {"level": "critical", "justification": "Supplier audit found passports withheld."}
# What each posting endpoint sends (the default is DECISION).
PAYLOADS = {
    "register export in the background": {"fmt": "csv", "query": "office={office}&level=high"},
    "assessment form": {
        "assess": "1",
        "a-high_risk": "yes",
        "a-justification": "Agency workforce on our premises.",
        "a-measures": "Payroll checks.",
    },
    "contract status form": {"move": "1", "s-status": "in_tender", "s-note": "RFQ issued"},
    "api assessment": {
        "high_risk": True,
        "justification": "Agency workforce.",
        "measures": "Payroll checks.",
    },
    "api contract status": {"status": "in_tender", "note": "RFQ issued"},
    "plan approval form": {"step": "approve", "note": "Agreed"},
    "add action form": {"step": "action", "title": "Brief the cleaning suppliers"},
    "action progress form": {"step": "progress", "status": "in_progress"},
    "library edit form": {
        "categories": ["cleaning"],
        "theme": "monitoring",
        "title_en": "Check payroll monthly",
        "title_ru": "Ежемесячно проверять ведомости",
        "sources": "OSCE summary | https://www.osce.org/cthb/supply-chains",
        "active": "on",
    },
    "record activity form": {
        "office": "{office}",
        "kind": "workshop",
        "title": "Regional workshop",
        "date": "2026-04-02",
        "participants": "12",
    },
    "api approve plan": {"note": "Agreed"},
    "api action progress": {"status": "in_progress"},
    "api record activity": {
        "office": "{office}",
        "kind": "pre_tender_briefing",
        "title": "Briefing for cleaning bidders",
        "date": "2026-04-02",
        "participants": 9,
    },
    "period form": {"period_start": "2025-01", "period_end": "2025-03"},
    "api period": {"start": "2025-01", "end": "2025-03"},
    "replace form": {},
    "api replace": {},
    # tenders and the clause library (issue 12)
    "clause draft form": {
        "v-title_en": "No forced labour", "v-text_en": "The supplier uses no forced labour of any kind.",
        "v-title_ru": "Без принудительного труда", "v-text_ru": "Поставщик не использует принудительный труд.",
        "v-note": "Shorter wording",
    },
    "api clause draft": {
        "title_en": "No forced labour", "text_en": "The supplier uses no forced labour of any kind.",
        "title_ru": "Без принудительного труда", "text_ru": "Поставщик не использует принудительный труд.",
        "note": "Shorter wording",
    },
    "tender stage form": {"decisions": "Market known: three local firms.", "check_risk-picture": "on"},
    "tender sign-off form": {"sign_off": "1", "note": "ok"},
    "tender criteria form": {"starter_criteria": "1"},
    # the review queue (issue 9 item 6)
    "classification decision form": {"kind": "description", "text": "nothing matches this", "category": "consulting"},
    "organisation decision form": {
        "kind": "description", "text": "nothing matches this", "category": "consulting", "scope": "organisation",
    },
    "decision file import": lambda: {"file": _named(b"description,category\nnothing matches this,consulting\n")},
    "text model form": {"action": "shipped"},
    "api classification decision": {"description": "nothing matches this", "category": "consulting"},
    "api organisation decision": {
        "description": "nothing matches this", "category": "consulting", "organisation_wide": True,
    },
    "api price check": {
        "bidder": "Clean LLC", "price": "90000", "months": "12", "contribution_rate": "0.25",
        "roles": [{"name": "cleaner", "headcount": "6", "hours_per_month": "160"}],
    },
    # monitoring, findings and grievances (issue 14)
    "monitoring check form": {"record_check": "1", "method": "payroll", "item-wages": "ok"},
    "cost check form": {"check_cost": "1", "price": "90000", "months": "12", "contributions": "25",
                        "role0-headcount": "6", "role0-hours": "160"},
    "start monitoring form": {"service": "cleaning"},
    "interview form": {"consent": "on", "no_manager_present": "on", "language": "Tajik", "place": "off_site",
                       "sampling": "random", "answer-withholding_of_wages": "Paid late"},
    "finding form": {"source": "audit", "title": "Overtime unpaid", "severity": "minor"},
    "corrective plan form": {"save_plan": "1", "root_cause": "Rota", "owner": "Supplier HR"},
    "verification form": {"verify": "accept", "verification_note": "Receipts checked"},
    "escalation form": {"step": "engagement", "reason": "Meeting on overtime"},
    "address form": {"address": "1"},
    "grievance reply form": {"reply": "1", "message": "Thank you; which site?"},
    "interview referral form": {"recipient_kind": "labour_inspectorate", "recipient_name": "Inspectorate",
                                "consent": "on"},
    "directory form": {"country": "TJK", "kind": "police", "name": "Anti-trafficking unit", "phone": "102"},
    "api monitoring check": {"done_on": "2026-01-15", "method": "payroll", "results": {"wages": "ok"}},
    "api cost check": {"price": "90000", "months": "12", "contribution_rate": "0.25",
                       "roles": [{"name": "cleaner", "headcount": "6", "hours_per_month": "160"}]},
    "api finding": {"title": "Overtime unpaid", "severity": "minor", "source": "audit"},
    "api corrective plan": {"root_cause": "Rota", "owner": "Supplier HR"},
    "api verification": {"accepted": True, "note": "Receipts checked"},
    "api remedy": {"kind": "back_pay", "workers": 3, "paid_on": "2026-01-20", "amount": "900", "currency": "EUR"},
    "api escalation": {"step": "engagement", "reason": "Meeting on overtime"},
    "api grievance reply": {"message": "Thank you; which site?"},
}  # fmt: skip

# name: (needs, channel, method, url template, success status)
ENDPOINTS = {
    "dashboard page": ("view", "ui", "get", "/dashboard/?office={office}", 200),
    "register page": ("view", "ui", "get", "/register/?office={office}", 200),
    "register CSV": ("view", "ui", "get", "/register/export.csv?office={office}", 200),
    "register XLSX": ("view", "ui", "get", "/register/export.xlsx?office={office}", 200),
    "register export in the background": ("view", "ui", "post", "/register/exports/", 302),
    "line page": ("view", "ui", "get", "/register/lines/{line}/", 200),
    "risk decision form": ("decide", "ui", "post", "/register/lines/{line}/", 302),
    "screening page": ("view", "ui", "get", "/screenings/{screening}/", 200),
    "upload form": ("upload", "ui", "upload", "/screenings/", 302),
    "cancel a screening": ("upload", "ui", "post", "/screenings/{queued}/cancel/", 302),
    "columns preview": ("upload", "ui", "get", "/screenings/{held}/preview/", 200),
    "columns confirmation": ("upload", "ui", "post", "/screenings/{held}/preview/", 302),
    "period form": ("upload", "ui", "post", "/screenings/{screening}/period/", 302),
    "replace form": ("upload", "ui", "post", "/screenings/{screening}/replace/{older}/", 302),
    "audit page": ("audit", "ui", "get", "/audit/", 200),
    "api lines": ("view", "api", "get", "/api/lines?office={office}", 200),
    "api line": ("view", "api", "get", "/api/lines/{line}", 200),
    "api decision": ("decide", "api", "post", "/api/lines/{line}/decisions", 201),
    "api screening": ("view", "api", "get", "/api/screenings/{screening}", 200),
    "api upload": ("upload", "api", "upload", "/api/offices/{office}/screenings", 201),
    "api cancel": ("upload", "api", "post", "/api/screenings/{queued}/cancel", 200),
    "api period": ("upload", "api", "post", "/api/screenings/{screening}/period", 200),
    "api replace": ("upload", "api", "post", "/api/screenings/{screening}/replaces/{older}", 200),
    "api dashboard": ("view", "api", "get", "/api/dashboard?office={office}", 200),
    "api audit": ("audit", "api", "get", "/api/audit", 200),
    "contracts page": ("view", "ui", "get", "/contracts/?office={office}", 200),
    "contract page": ("view", "ui", "get", "/contracts/{contract}/", 200),
    "assessment form": ("assess", "ui", "post", "/contracts/{contract}/", 302),
    "contract status form": ("act", "ui", "post", "/contracts/{contract}/", 302),
    "api contracts": ("view", "api", "get", "/api/contracts?office={office}", 200),
    "api contract": ("view", "api", "get", "/api/contracts/{contract}", 200),
    "api assessment": ("assess", "api", "post", "/api/contracts/{contract}/assessments", 201),
    "api contract status": ("act", "api", "post", "/api/contracts/{contract}/status", 200),
    "kpis page": ("view", "ui", "get", "/kpis/?office={office}", 200),
    "supply-chain map page": ("view", "ui", "get", "/suppliers/maps/{contract}/", 200),
    "api supply-chain map": ("view", "api", "get", "/api/suppliers/maps/{contract}", 200),
    "api kpis": ("view", "api", "get", "/api/kpis?office={office}", 200),
    "plans page": ("view", "ui", "get", "/plans/?office={office}", 200),
    "plan page": ("view", "ui", "get", "/plans/{plan}/", 200),
    "starter plan page": ("plan", "ui", "get", "/plans/{plan}/starter/", 200),
    "add action form": ("plan", "ui", "post", "/plans/{plan}/", 302),
    "plan approval form": ("approve", "ui", "post", "/plans/{plan}/", 302),
    "action page": ("view", "ui", "get", "/plans/actions/{action}/", 200),
    "action progress form": ("act", "ui", "post", "/plans/actions/{action}/", 302),
    "my actions page": ("member", "ui", "get", "/plans/mine/", 200),
    "library page": ("member", "ui", "get", "/plans/library/", 200),
    "library edit form": ("library", "ui", "post", "/plans/library/payroll-check/", 302),
    "activities page": ("view", "ui", "get", "/activities/?office={office}", 200),
    "activity page": ("view", "ui", "get", "/activities/{activity}/", 200),
    "record activity form": ("act", "ui", "post", "/activities/", 302),
    "api plans": ("view", "api", "get", "/api/plans?office={office}", 200),
    "api plan": ("view", "api", "get", "/api/plans/{plan}", 200),
    "api approve plan": ("approve", "api", "post", "/api/plans/{plan}/approve", 200),
    "api action progress": ("act", "api", "post", "/api/plans/actions/{action}/progress", 200),
    "api my actions": ("member", "api", "get", "/api/plans/actions/mine", 200),
    "api activities": ("view", "api", "get", "/api/activities?office={office}", 200),
    "api activity": ("view", "api", "get", "/api/activities/{activity}", 200),
    "api record activity": ("act", "api", "post", "/api/activities", 201),
    "annual report page": ("view", "ui", "get", "/reports/annual/?office={office}&year=2026", 200),
    "annual report DOCX": ("view", "ui", "get", "/reports/annual/2026.docx?office={office}", 200),
    "clause library page": ("member", "ui", "get", "/clauses/", 200),
    "clause page": ("member", "ui", "get", "/clauses/no-forced-labour/", 200),
    "clause draft form": ("library", "ui", "post", "/clauses/no-forced-labour/", 302),
    "code of conduct document": (
        "member",
        "ui",
        "get",
        "/clauses/documents/code-of-conduct.docx?lang=ru",
        200,
    ),
    "api clauses": ("member", "api", "get", "/api/clauses", 200),
    "api clause draft": ("library", "api", "post", "/api/clauses/no-forced-labour/versions", 201),
    "tenders page": ("view", "ui", "get", "/tenders/?office={office}", 200),
    "tender page": ("view", "ui", "get", "/tenders/{dossier}/", 200),
    "tender stage page": ("view", "ui", "get", "/tenders/{dossier}/stages/market_research/", 200),
    "tender stage form": ("act", "ui", "post", "/tenders/{dossier}/stages/market_research/", 302),
    "tender sign-off form": ("assess", "ui", "post", "/tenders/{dossier}/stages/market_research/", 302),
    "tender criteria form": ("act", "ui", "post", "/tenders/{dossier}/", 302),
    "tender annex": ("act", "ui", "get", "/tenders/{dossier}/annex.docx", 200),
    "api tenders": ("view", "api", "get", "/api/tenders?office={office}", 200),
    "api tender": ("view", "api", "get", "/api/tenders/{dossier}", 200),
    "api price check": ("act", "api", "post", "/api/tenders/{dossier}/price-checks", 201),
    # monitoring, findings and grievances (issue 14)
    "monitoring page": ("view", "ui", "get", "/monitoring/?office={office}", 200),
    "monitoring plan page": ("view", "ui", "get", "/monitoring/plans/{monitoring_plan}/", 200),
    "monitoring check page": ("view", "ui", "get", "/monitoring/checks/{check}/", 200),
    "monitoring evidence": ("view", "ui", "get", "/monitoring/evidence/{evidence}/", 200),
    "monitoring check form": ("act", "ui", "post", "/monitoring/plans/{monitoring_plan}/", 302),
    "cost check form": ("act", "ui", "post", "/monitoring/plans/{monitoring_plan}/", 302),
    "start monitoring form": ("act", "ui", "post", "/monitoring/contracts/{unmonitored}/plan/", 302),
    "interview page": ("confidential", "ui", "get", "/monitoring/interviews/{interview}/", 200),
    "interview form": ("confidential", "ui", "post", "/monitoring/contracts/{contract}/interviews/", 302),
    "findings page": ("view", "ui", "get", "/findings/?office={office}", 200),
    "finding page": ("view", "ui", "get", "/findings/{finding}/", 200),
    "finding form": ("act", "ui", "post", "/findings/contracts/{contract}/new/", 302),
    "corrective plan form": ("act", "ui", "post", "/findings/{finding}/", 302),
    "verification form": ("assess", "ui", "post", "/findings/{submitted}/", 302),
    "escalation form": ("escalate", "ui", "post", "/findings/contracts/{contract}/escalate/", 302),
    "address form": ("act", "ui", "post", "/findings/{finding}/", 302),
    "grievances page": ("confidential_any", "ui", "get", "/grievances/", 200),
    "grievance page": ("confidential", "ui", "get", "/grievances/{case}/", 200),
    "grievance reply form": ("confidential", "ui", "post", "/grievances/{case}/", 302),
    "interview referral form": (
        "confidential",
        "ui",
        "post",
        "/grievances/interviews/{interview}/refer/",
        302,
    ),
    "referral log page": ("confidential_any", "ui", "get", "/grievances/referrals/", 200),
    "referral directory page": ("member", "ui", "get", "/grievances/directory/", 200),
    "directory form": ("confidential_any", "ui", "post", "/grievances/directory/", 302),
    "api monitoring plans": ("view", "api", "get", "/api/monitoring/plans?office={office}", 200),
    "api monitoring checks": ("view", "api", "get", "/api/monitoring/plans/{monitoring_plan}/checks", 200),
    "api monitoring check": ("act", "api", "post", "/api/monitoring/plans/{monitoring_plan}/checks", 201),
    "api cost check": ("act", "api", "post", "/api/monitoring/contracts/{contract}/cost-checks", 201),
    "api interviews": ("confidential", "api", "get", "/api/monitoring/interviews?office={office}", 200),
    "api findings": ("view", "api", "get", "/api/findings?office={office}", 200),
    "api finding detail": ("view", "api", "get", "/api/findings/{finding}", 200),
    "api finding": ("act", "api", "post", "/api/findings/contracts/{contract}", 201),
    "api corrective plan": ("act", "api", "post", "/api/findings/{finding}/plan", 200),
    "api verification": ("assess", "api", "post", "/api/findings/{submitted}/verification", 200),
    "api remedy": ("act", "api", "post", "/api/findings/{finding}/remedies", 201),
    "api address": ("act", "api", "post", "/api/findings/{finding}/address", 200),
    "api escalation": ("escalate", "api", "post", "/api/findings/contracts/{contract}/escalations", 201),
    "api grievances": ("confidential_any", "api", "get", "/api/grievances", 200),
    "api grievance": ("confidential", "api", "get", "/api/grievances/{case}", 200),
    "api grievance reply": ("confidential", "api", "post", "/api/grievances/{case}/messages", 201),
    "review queue page": ("view", "ui", "get", "/review/?office={office}", 200),
    "review queue by supplier": ("view", "ui", "get", "/review/?office={office}&by=supplier", 200),
    "classification decision form": ("classify", "ui", "post", "/review/decide/?office={office}", 302),
    "organisation decision form": ("classify_all", "ui", "post", "/review/decide/?office={office}", 302),
    "classification decisions page": ("view", "ui", "get", "/review/decisions/?office={office}", 200),
    "decision file": ("view", "ui", "get", "/review/decisions.csv?office={office}", 200),
    "decision file import": ("classify", "ui", "post", "/review/decisions/import/?office={office}", 302),
    "withdraw decision form": ("classify", "ui", "post", "/review/decisions/{category_decision}/withdraw/", 302),
    "withdraw organisation decision": (
        "classify_all", "ui", "post", "/review/decisions/{organisation_decision}/withdraw/", 302,
    ),
    "text model page": ("view", "ui", "get", "/review/model/?office={office}", 200),
    "text model form": ("classify_all", "ui", "post", "/review/model/retrain/?office={office}", 302),
    "api review queue": ("view", "api", "get", "/api/review/queue?office={office}", 200),
    "api classification decisions": ("view", "api", "get", "/api/review/decisions?office={office}", 200),
    "api classification decision": ("classify", "api", "post", "/api/review/offices/{office}/decisions", 201),
    "api organisation decision": ("classify_all", "api", "post", "/api/review/offices/{office}/decisions", 201),
    "api withdraw decision": (
        "classify", "api", "post", "/api/review/decisions/{category_decision}/withdraw", 200,
    ),
    "api text model": ("view", "api", "get", "/api/review/model?office={office}", 200),
}  # fmt: skip


@pytest.fixture(scope="module")
def built_world(module_transaction):
    """The offices, people and records every test of the matrix reads, built once per module (the tests'
    own changes roll back to them; tests/web/conftest.py ``module_transaction``)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _build_world(monkeypatch)


@pytest.fixture
def world(built_world, db):
    return built_world


def _build_world(monkeypatch):
    offices = {"A": office("A", "ARM"), "B": office("B", "TJK")}
    targets = {}
    planner = user("planner", "administrator")
    creator = user("dossier-creator", "administrator")
    _wage_floors()
    for code, obj in offices.items():
        older = screen_into(obj, register_table(1, prefix=code + "old"), monkeypatch, name="older.csv")
        screening = screen_into(obj, register_table(3, prefix=code), monkeypatch)
        plan = create_plan(obj, 2026, planner)
        targets[code] = {
            "office": code,
            "older": older.pk,  # a screening the newer one may replace
            "screening": screening.pk,
            "line": screening.lines.first().pk,
            "contract": obj.contracts.first().pk,
            "plan": plan.pk,
            "action": add_action(plan, planner, title="Wage clause").pk,
            "activity": record_activity(
                obj, planner, kind="workshop", title="Workshop", date=dt.date(2026, 3, 1), participants=5
            ).pk,
            "dossier": create_dossier(obj, creator, title="office cleaning", category="cleaning").pk,
            "category_decision": _category_decision(obj, obj).pk,
            "organisation_decision": _category_decision(obj, None).pk,
        } | _due_diligence(obj, creator)
    for code, obj in offices.items():  # one job waiting per office, to cancel
        queued, _ = accept(io.BytesIO(f"queued {code}".encode()), "queued.csv", obj, "test")
        targets[code]["queued"] = queued.pk
        ledger = f"Supplier,Amount,Description\nAcme {code} Ltd,100.50,Office cleaning\n".encode()
        held, _ = accept(io.BytesIO(ledger), "held.csv", obj, "test", queue=False)  # in its columns' preview
        targets[code]["held"] = held.pk
    people = {
        "administrator": user("admin", "administrator"),
        "procurement_officer": user("buyer", "procurement_officer", "A"),
        "focal_point": user("focal", "focal_point", "A"),
        "focal_point_all_offices": user("focal-all", "focal_point", "A", all_offices=True),
        "management": user("boss", "management"),
        "auditor": user("auditor", "auditor"),
        "user_without_role": _plain_user(),
        "supplier": user("supplier-account", "supplier"),
    }
    return targets, people


def _due_diligence(office_obj, creator) -> dict:
    """A monitored contract with a check, its evidence, an interview, two findings (one awaiting
    verification) and a grievance case routed to the office; and a contract not monitored yet."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fairprocure.web.findings import services as findings
    from fairprocure.web.grievances import services as grievances
    from fairprocure.web.monitoring import services as monitoring

    contracts = list(office_obj.contracts.order_by("pk"))
    today = timezone.localdate()
    plan = monitoring.create_plan(contracts[0], creator, service="cleaning")
    check = monitoring.record_check(
        plan, creator, done_on=today, method="payroll", results={"wages": "issue"}
    )
    evidence = monitoring.attach_evidence(check, creator, "payroll", SimpleUploadedFile("p.csv", b"a,b\n"))
    interview = monitoring.record_interview(
        contracts[0], creator, held_on=today, consent=True, language="Tajik", interpreter=False, place="off_site",
        no_manager_present=True, sampling="random", answers={"withholding_of_wages": "Paid two months late"},
    )  # fmt: skip
    finding = findings.raise_finding(
        contracts[0], creator, title="Wages late", severity="major", source="check"
    )
    submitted = findings.raise_finding(contracts[0], creator, title="Fees", severity="minor", source="audit")
    findings.save_plan(submitted, creator, agree=True, root_cause="r", corrective_action="c",
                       preventive_action="p", owner="o")  # fmt: skip
    findings.submit_evidence(submitted, creator, note="Fees repaid")
    case, _secret = grievances.submit(
        language="en", topic="pay", account="Unpaid overtime", office=office_obj
    )
    return {
        "monitoring_plan": plan.pk, "check": check.pk, "evidence": evidence.pk, "interview": interview.pk,
        "finding": finding.pk, "submitted": submitted.pk, "case": case.pk, "unmonitored": contracts[1].pk,
    }  # fmt: skip


def _wage_floors():
    import csv

    rows = "country,sector,amount,currency,period,normal_hours,valid_from,kind,source\n" + "".join(
        f"{c},all,1000,XXX,month,160,2020-01-01,legal_minimum,test figure\n" for c in ("ARM", "TJK")
    )
    load_wage_floors(csv.DictReader(io.StringIO(rows)), "floors.csv", "test")


def _category_decision(office_obj, scope):
    """A classification decision in force (for ``scope``: an office, or None for the organisation)."""
    from fairprocure.web.review.models import CategoryDecision

    return CategoryDecision.objects.create(
        organisation=office_obj.organisation, office=scope, description="service support",
        description_key="service support", category="consulting", decided_by="test",
    )  # fmt: skip


def _named(data: bytes):
    upload = io.BytesIO(data)
    upload.name = "decisions.csv"
    return upload


def _plain_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("nobody", password="x" * 12)


def _call(client, channel: str, method: str, url: str, token: str | None, payload: dict = DECISION):
    payload = payload() if callable(payload) else payload  # a fresh file for each request
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, headers=headers)
    if method == "upload":
        upload = io.BytesIO(f"file for {url}".encode())
        upload.name = "export.csv"
        data = {"file": upload} | ({"office": url.split("/")[3]} if channel == "api" else {})
        return client.post(url, data, headers=headers)
    if channel == "api":
        return client.post(url, payload, content_type="application/json", headers=headers)
    return client.post(url, payload)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ACCESS)
def test_role_can_use_endpoint_only_where_the_role_table_allows(world, client, role, endpoint):
    targets, people = world
    needs, channel, method, template, success = ENDPOINTS[endpoint]
    person = people[role]
    token = None
    if channel == "api":
        token = ApiToken.issue(person)
    else:
        client.force_login(person)
    for where in "AB":
        url = template.format(**targets[where])
        if method == "upload" and channel == "ui":
            url = "/screenings/"
        response = (
            _upload_form(client, where)
            if method == "upload" and channel == "ui"
            else _call(client, channel, method, url, token, _payload(endpoint, targets[where]))
        )
        expected = success if where in ACCESS[role][needs] else 403
        assert response.status_code == expected, (
            f"{role} {endpoint} in office {where}: {response.status_code}"
        )


def _payload(endpoint: str, target: dict) -> dict:
    payload = PAYLOADS.get(endpoint, DECISION)
    if callable(payload):  # a fresh file for each request, built by _call
        return payload
    return {k: v.format(**target) if isinstance(v, str) else v for k, v in payload.items()}


def _upload_form(client, where: str):
    upload = io.BytesIO(f"ledger for {where}".encode())
    upload.name = "export.csv"
    return client.post("/screenings/", {"office": where, "file": upload})


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_visitors_get_nothing(world, client, endpoint):
    targets, _ = world
    _, channel, method, template, _ = ENDPOINTS[endpoint]
    response = _call(
        client, channel, method, template.format(**targets["A"]), None, _payload(endpoint, targets["A"])
    )
    if channel == "api":
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_revoked_token_is_refused(world, client):
    _, people = world
    token = ApiToken.issue(people["management"])
    assert client.get("/api/offices", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    ApiToken.objects.get(user=people["management"]).revoke()
    assert client.get("/api/offices", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_in_progress_panel_lists_only_offices_the_user_may_see(world, client):
    _, people = world
    client.force_login(people["procurement_officer"])
    panel = client.get("/screenings/in-progress/").content.decode()
    assert "A · queued.csv" in panel and "B · queued.csv" not in panel
    client.force_login(people["management"])
    panel = client.get("/screenings/in-progress/").content.decode()
    assert "A · queued.csv" in panel and "B · queued.csv" in panel
    client.force_login(people["user_without_role"])
    assert client.get("/screenings/in-progress/").status_code == 403


# Pages and endpoints of the organisation-wide supplier registry: allowed when the role has the action at all.
ORG_ENDPOINTS = {
    "suppliers page": ("view", "ui", "get", "/suppliers/", 200),
    "supplier page": ("view", "ui", "get", "/suppliers/{supplier}/", 200),
    "questionnaires page": ("view", "ui", "get", "/questionnaires/", 200),
    "api suppliers": ("view", "api", "get", "/api/suppliers", 200),
    "api supplier": ("view", "api", "get", "/api/suppliers/{supplier}", 200),
    "api questionnaire templates": ("view", "api", "get", "/api/questionnaires/templates", 200),
    "identifier form": ("suppliers", "ui", "post", "/suppliers/{supplier}/", 302),
    "supplier status form": ("sanction", "ui", "post", "/suppliers/{supplier}/", 302),
    "api supplier status": ("sanction", "api", "post", "/api/suppliers/{supplier}/status", 200),
}
ORG_PAYLOADS = {
    "identifier form": {"identifier": "1", "scheme": "company", "value": "TJ-0001"},
    "supplier status form": {
        "status": "1",
        "move": "exclude",
        "reason": "Convicted of forced labour offences.",
        "reform_required": "",
    },
    "api supplier status": {"move": "exclude", "reason": "Convicted of forced labour offences."},
}


@pytest.fixture
def registry_world(world):
    from fairprocure.web.suppliers.models import Supplier

    _targets, people = world
    return {"supplier": Supplier.objects.first().pk}, people


@pytest.mark.parametrize("endpoint", ORG_ENDPOINTS)
@pytest.mark.parametrize("role", ACCESS)
def test_registry_endpoints_follow_the_role_table(registry_world, client, role, endpoint):
    target, people = registry_world
    needs, channel, method, template, success = ORG_ENDPOINTS[endpoint]
    person = people[role]
    token = ApiToken.issue(person) if channel == "api" else None
    if channel == "ui":
        client.force_login(person)
    response = _call(
        client, channel, method, template.format(**target), token, ORG_PAYLOADS.get(endpoint, {})
    )
    expected = success if ACCESS[role][needs] else 403
    assert response.status_code == expected, f"{role} {endpoint}: {response.status_code}"


@pytest.fixture
def two_suppliers(db, tmp_path):
    """Two suppliers, each with an account, answers and a document; S1 and S2."""
    import datetime as dt
    import io

    from fairprocure.web.accounts.models import Membership, Role
    from fairprocure.web.questionnaires import services
    from fairprocure.web.questionnaires.models import Response
    from fairprocure.web.suppliers.models import Supplier, SupplierAccount

    version = services.ensure_default_template()
    admin = user("admin2", "administrator")
    out = {}
    for code in ("S1", "S2"):
        supplier = Supplier.objects.create(name=f"Supplier {code}", key=f"supplier {code.lower()}")
        account = user(f"account-{code}", "supplier")
        Membership.objects.filter(user=account).update(role=Role.SUPPLIER)
        SupplierAccount.objects.create(user=account, supplier=supplier)
        response = Response.objects.create(supplier=supplier, version=version, variant="services")
        evidence = services.upload_evidence(
            supplier,
            io.BytesIO(b"%PDF-1.4 x"),
            "p.pdf",
            f"{code} policy",
            dt.date(2030, 1, 1),
            admin,
            response,
        )
        out[code] = {"account": account, "response": response.pk, "evidence": evidence.pk}
    return out


PORTAL_ENDPOINTS = {
    "portal home": ("get", "/portal/", "any"),
    "portal answers": ("get", "/portal/responses/{response}/", "own"),
    "portal evidence": ("get", "/portal/evidence/{evidence}/", "own"),
    "api portal questionnaires": ("get", "/api/portal/questionnaires", "any"),
    "api portal evidence": ("get", "/api/portal/evidence", "any"),
    "api portal findings": ("get", "/api/portal/findings", "any"),
}


@pytest.mark.parametrize("endpoint", PORTAL_ENDPOINTS)
def test_a_supplier_sees_its_own_records_and_no_other_suppliers(two_suppliers, client, endpoint):
    _method, template, scope = PORTAL_ENDPOINTS[endpoint]
    client.force_login(two_suppliers["S1"]["account"])
    for whose in ("S1", "S2"):
        response = client.get(template.format(**two_suppliers[whose]))
        expected = 200 if scope == "any" or whose == "S1" else 403
        assert response.status_code == expected, f"{endpoint} of {whose}: {response.status_code}"
        if template.startswith("/api/portal/") and response.status_code == 200:
            assert "S2" not in response.content.decode()


@pytest.mark.parametrize("endpoint", PORTAL_ENDPOINTS)
def test_internal_roles_have_no_supplier_portal(two_suppliers, client, endpoint):
    from fairprocure.web.offices.models import Office

    _, template, _ = PORTAL_ENDPOINTS[endpoint]
    for role in ("administrator", "procurement_officer", "focal_point", "management", "auditor"):
        office_code = "A" if role in ("procurement_officer", "focal_point") else None
        if office_code and not Office.objects.filter(code="A").exists():
            office("A", "ARM")
        client.force_login(user(f"{role}-p", role, office_code))
        assert client.get(template.format(**two_suppliers["S1"])).status_code == 403, role
