"""Contract monitoring, findings and remediation through the services the pages and the API call:
the OSCE security-guard case (payroll check → contributions unpaid → major finding → plan → evidence →
verified → closed, KPIs moving), the cost-structure check, interviews sealed, the escalation ladder."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fairprocure.duediligence import rules
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.findings import services as findings
from fairprocure.web.findings.models import Finding
from fairprocure.web.kpis.registry import REGISTRY, figure
from fairprocure.web.monitoring import services as monitoring
from fairprocure.web.monitoring.models import Interview
from web.due_diligence_helpers import contract, load_floors
from web.workspace_helpers import office, user


@pytest.fixture
def vienna(db):
    here = office("tj-dushanbe", "TJK")
    return {
        "office": here,
        "guards": contract(here, "SEC-2026-01", "security", "Shield Guarding LLC"),
        "cleaning": contract(
            here, "CLN-2026-02", "cleaning", "Toza Service LLC", level="medium", high_risk=None
        ),
        "focal": user("olga", "focal_point", "tj-dushanbe"),
        "buyer": user("rustam", "procurement_officer", "tj-dushanbe"),
    }


def _kpi(kpi_id: str, office_obj, year: int):
    kpi = REGISTRY[kpi_id]
    measure = kpi.compute(year, [office_obj]).get(office_obj.pk)
    return figure(kpi.unit, measure) if measure else 0


def test_security_guard_case_from_payroll_check_to_closed_finding_moves_the_kpis(vienna):
    year = timezone.localdate().year
    o, guards, focal, buyer = vienna["office"], vienna["guards"], vienna["focal"], vienna["buyer"]
    plan = monitoring.create_plan(guards, buyer)
    assert (plan.service, plan.risk_level, plan.frequency_days) == ("security", "high", 90)
    assert plan.next_due == plan.started_on + dt.timedelta(days=90)
    assert _kpi("monitoring_checks_done", o, year) == 0

    check = monitoring.record_check(
        plan,
        buyer,
        done_on=timezone.localdate(),
        method="payroll",
        results={"wages": "ok", "contributions": "issue", "liability_insurance": "ok", "uniforms": "ok"},
        notes={"contributions": "No social-fund payments for 14 guards since January."},
    )
    monitoring.attach_evidence(
        check, buyer, "Payroll extract, March", SimpleUploadedFile("payroll.csv", b"guard,pay\n")
    )
    assert check.issues == ["contributions"]
    assert monitoring.indicators_of(check) == ["withholding_of_wages"]
    plan.refresh_from_db()
    assert plan.next_due == timezone.localdate() + dt.timedelta(days=90)
    assert _kpi("monitoring_checks_done", o, year) == 1

    finding = findings.raise_finding(
        guards, buyer, title="Social contributions unpaid for 14 guards", severity="major", source="check",
        indicators=monitoring.indicators_of(check), check=check,
    )  # fmt: skip
    assert finding.deadline == finding.raised_on + dt.timedelta(days=30)
    assert finding.supplier == "Shield Guarding LLC"
    assert _kpi("findings_open_major", o, year) == 1
    with pytest.raises(rules.TransitionError, match="root cause"):
        findings.save_plan(finding, buyer, agree=True, root_cause="Cash-flow problem")
    findings.save_plan(
        finding, buyer, agree=True, root_cause="Payroll outsourced without checks",
        corrective_action="Pay all arrears of contributions", preventive_action="Monthly contribution receipts",
        owner="Shield Guarding LLC, finance director",
    )  # fmt: skip
    assert finding.status == rules.PLAN_AGREED
    findings.submit_evidence(
        finding, buyer, note="Arrears paid on 12 March", title="Social-fund receipts",
        upload=SimpleUploadedFile("receipts.pdf", b"%PDF-1.4"),
    )  # fmt: skip
    findings.record_remedy(
        finding,
        buyer,
        kind="contributions",
        workers=14,
        amount="8400",
        currency="EUR",
        paid_on=timezone.localdate(),
    )
    findings.verify(
        finding, focal, accepted=True, note="Receipts checked against the social fund's statement"
    )
    findings.close(finding, focal)
    assert finding.status == rules.CLOSED
    assert _kpi("findings_open_major", o, year) == 0
    assert _kpi("findings_closed_major", o, year) == 1
    assert _kpi("days_to_remediation", o, year) == 0.0
    assert _kpi("workers_remedied", o, year) == 14
    assert _kpi("remedy_paid", o, year) == pytest.approx(8400)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    for step in ("monitoring.plan_created", "monitoring.check_recorded", "monitoring.evidence_attached",
                 "finding.raised", "finding.plan_saved", "finding.evidence_submitted",
                 "finding.remedy_recorded", "finding.verified", "finding.closed"):  # fmt: skip
        assert step in actions


def test_checks_overdue_per_office(vienna):
    plan = monitoring.create_plan(
        vienna["guards"], vienna["buyer"], started_on=timezone.localdate() - dt.timedelta(days=100)
    )
    assert monitoring.state(plan) == rules.OVERDUE
    assert _kpi("monitoring_checks_overdue", vienna["office"], plan.next_due.year) == 1
    monitoring.record_check(
        plan, vienna["buyer"], done_on=timezone.localdate(), method="site_visit", results={}
    )
    plan.refresh_from_db()
    assert monitoring.state(plan) == rules.UPCOMING
    assert _kpi("monitoring_checks_overdue", vienna["office"], timezone.localdate().year) == 0


def test_cost_check_during_the_contract_flags_below_and_passes_above(vienna):
    load_floors()
    cleaning, buyer = vienna["cleaning"], vienna["buyer"]
    roles = [{"name": "cleaner", "headcount": "8", "hours_per_month": "168", "overtime_hours_per_month": "10",
              "overtime_premium": "0.5"}]  # fmt: skip
    args = {
        "roles": roles,
        "months": "6",
        "contribution_rate": "0.25",
        "other_costs": {"protective gear": "1500"},
    }
    low = monitoring.check_cost(cleaning, buyer, price="66000", **args)
    high = monitoring.check_cost(cleaning, buyer, price="72000", **args)
    assert (low.lawful_cost, low.below) == (Decimal("70125.00"), True)
    assert (high.lawful_cost, high.below) == (Decimal("70125.00"), False)
    assert low.currency == "TJS" and "legal minimum" in low.wage_floor
    event = AuditEvent.objects.filter(action="monitoring.cost_checked").first()
    assert event.details["below"] is False and event.details["lawful_cost"] == "70125.00"


def test_interview_answers_are_sealed_and_need_consent(vienna):
    from django.db import connection

    guards, focal = vienna["guards"], vienna["focal"]
    base = {
        "held_on": timezone.localdate(), "language": "Tajik", "interpreter": True, "place": "off_site",
        "sampling": "random", "answers": {"withholding_of_wages": "Зарплату задерживают на два месяца"},
        "notes": "Guard from the night shift", "indicators": ["withholding_of_wages"],
    }  # fmt: skip
    with pytest.raises(ValueError, match="consent"):
        monitoring.record_interview(guards, focal, consent=False, no_manager_present=True, **base)
    with pytest.raises(ValueError, match="no manager"):
        monitoring.record_interview(guards, focal, consent=True, no_manager_present=False, **base)
    interview = monitoring.record_interview(guards, focal, consent=True, no_manager_present=True, **base)
    assert interview.pseudonym.startswith("W-")
    assert monitoring.answers_of(interview) == base["answers"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_sealed, notes_sealed FROM monitoring_interview")
        raw = " ".join(cursor.fetchone())
    assert "Зарплату" not in raw and "night shift" not in raw
    event = AuditEvent.objects.get(action="monitoring.interview_recorded")
    assert "Зарплату" not in json.dumps(event.details, ensure_ascii=False)
    assert Interview.objects.count() == 1
    # The worker agrees to be referred to the labour inspectorate: logged with consent, date, recipient.
    from fairprocure.web.grievances.services import refer

    referral = refer(focal, interview=interview, recipient_kind="labour_inspectorate",
                     recipient_name="State Labour Inspectorate", consent=True, consent_note="asked in Tajik")  # fmt: skip
    assert referral.office == vienna["office"] and referral.referred_on == timezone.localdate()
    assert AuditEvent.objects.get(action="referral.logged").target == f"interview {interview.pseudonym}"


def test_escalation_ladder_records_each_step_with_its_reason(vienna):
    guards, focal = vienna["guards"], vienna["focal"]
    findings.escalate(guards, focal, step="engagement", reason="Meeting on unpaid contributions")
    with pytest.raises(rules.TransitionError, match="remediation before termination"):
        findings.escalate(guards, focal, step="termination", reason="No progress")
    findings.escalate(guards, focal, step="corrective_plan", reason="Plan agreed")
    review = timezone.localdate() + dt.timedelta(days=60)
    step = findings.escalate(
        guards, focal, step="suspension", reason="Arrears still unpaid after the deadline",
        reform_required="Pay all arrears; monthly receipts for six months", review_date=review,
    )  # fmt: skip
    assert step.review_date == review
    assert findings.current_step(guards, "Shield Guarding LLC") == "suspension"
    events = AuditEvent.objects.filter(action__startswith="escalation.").order_by("pk")
    assert [e.action for e in events] == [
        "escalation.engagement",
        "escalation.corrective_plan",
        "escalation.suspension",
    ]
    assert events.last().details["reform_required"].startswith("Pay all arrears")


def test_a_critical_finding_allows_immediate_termination(vienna):
    guards, focal = vienna["guards"], vienna["focal"]
    findings.raise_finding(guards, focal, title="Passports held by the agency", severity="critical", source="audit",
                           indicators=["retention_of_identity_documents"])  # fmt: skip
    assert findings.escalate(guards, focal, step="termination", reason="Passports held").step == "termination"
    assert Finding.objects.get().deadline == timezone.localdate() + dt.timedelta(days=7)


def test_escalation_moves_the_supplier_status_in_the_registry(vienna):
    from fairprocure.web.suppliers.models import StatusChange
    from fairprocure.web.suppliers.registry import resolve

    guards, focal = vienna["guards"], vienna["focal"]
    shield = resolve("Shield Guarding LLC")  # filed from the register's lines in real use
    findings.escalate(guards, focal, step="engagement", reason="Meeting on unpaid contributions")
    findings.escalate(guards, focal, step="corrective_plan", reason="Plan agreed with the agency")
    shield.refresh_from_db()
    assert shield.status == "active"  # engagement and a plan leave the status alone
    review = timezone.localdate() + dt.timedelta(days=60)
    step = findings.escalate(
        guards, focal, step="suspension", reason="Arrears still unpaid after the deadline",
        reform_required="Pay all arrears; monthly receipts for six months", review_date=review,
    )  # fmt: skip
    shield.refresh_from_db()
    assert (shield.status, shield.review_date) == ("suspended", review)
    assert shield.reform_required == "Pay all arrears; monthly receipts for six months"
    assert step.supplier_status == "Shield Guarding LLC: suspended"
    change = StatusChange.objects.get(supplier=shield, new="suspended")
    assert change.reason == "Arrears still unpaid after the deadline (contract SEC-2026-01, escalation)"
    assert AuditEvent.objects.filter(action="supplier.suspend", target="Shield Guarding LLC").exists()

    findings.escalate(guards, focal, step="reinstated", reason="Arrears paid; six months of receipts seen")
    shield.refresh_from_db()
    assert shield.status == "active" and shield.reform_required == ""
    findings.raise_finding(guards, focal, title="Passports held by the agency", severity="critical",
                           source="audit")  # fmt: skip
    findings.escalate(guards, focal, step="exclusion", reason="Passports withheld again after reinstatement")
    shield.refresh_from_db()
    assert shield.status == "excluded"
    assert [c.new for c in StatusChange.objects.filter(supplier=shield).order_by("pk")] == [
        "suspended",
        "active",
        "excluded",
    ]


def test_a_supplier_reads_in_its_portal_only_the_findings_addressed_to_it(vienna, client):
    from fairprocure.web.accounts.models import Membership, Role
    from fairprocure.web.suppliers.models import SupplierAccount, SupplierName
    from fairprocure.web.suppliers.registry import resolve

    guards, cleaning, focal = vienna["guards"], vienna["cleaning"], vienna["focal"]
    unpaid = findings.raise_finding(
        guards, focal, title="Social contributions unpaid for March", severity="major", source="check",
        description="Payroll extract shows no contributions for 14 guards.",
        indicators=["withholding_of_wages"],
    )  # fmt: skip
    findings.raise_finding(
        guards, focal, title="Not yet shared with the agency", severity="minor", source="audit"
    )
    findings.raise_finding(cleaning, focal, title="Toza overtime", severity="minor", source="audit")
    other = findings.raise_finding(cleaning, focal, title="Toza fees", severity="minor", source="audit")
    findings.address_to_supplier(other, focal)
    findings.save_plan(unpaid, focal, agree=True, root_cause="Cash-flow shortfall", owner="Shield HR",
                       corrective_action="Pay arrears", preventive_action="Monthly receipts")  # fmt: skip
    client.force_login(focal)
    response = client.post(f"/findings/{unpaid.pk}/", {"address": "1"})
    assert response.status_code == 302
    unpaid.refresh_from_db()
    assert unpaid.addressed_on == timezone.localdate() and unpaid.addressed_by == focal
    assert AuditEvent.objects.filter(action="finding.addressed").count() == 2
    with pytest.raises(ValueError, match="already"):
        findings.address_to_supplier(unpaid, focal)

    account = user("shield-portal", "supplier")
    Membership.objects.filter(user=account).update(role=Role.SUPPLIER)
    resolve("Shield Guarding LLC")
    SupplierAccount.objects.create(
        user=account, supplier=SupplierName.objects.get(name="Shield Guarding LLC").supplier
    )
    client.force_login(account)
    page = client.get("/portal/").content.decode()
    portal = page[page.index('id="portal-findings"') :]
    assert "Social contributions unpaid for March" in portal and "14 guards" in portal
    assert "Pay arrears" in portal and "Monthly receipts" in portal
    assert "Not yet shared" not in portal and "Toza" not in portal
    api = client.get("/api/portal/findings").json()
    assert len(api) == 1 and "Social contributions unpaid for March" in api[0] and "major" in api[0]
    assert client.get(f"/findings/{unpaid.pk}/").status_code == 403  # the office's own page stays closed

    # The supplier sends the evidence of the agreed action from its portal; a focal point verifies it.
    url = f"/portal/findings/{unpaid.pk}/evidence/"
    fake = SimpleUploadedFile("receipts.pdf", b"MZ not a pdf")
    client.post(url, {"evidence_note": "Paid", "title": "Receipts", "file": fake})
    unpaid.refresh_from_db()
    assert unpaid.status == "plan_agreed" and not unpaid.evidence.exists()  # refused: not a real PDF
    receipts = SimpleUploadedFile("receipts.pdf", b"%PDF-1.4 contribution receipts, March")
    response = client.post(
        url, {"evidence_note": "Arrears paid on 2 April", "title": "Receipts", "file": receipts}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    unpaid.refresh_from_db()
    assert unpaid.status == "evidence_submitted" and unpaid.evidence_note == "Arrears paid on 2 April"
    assert unpaid.evidence.get().uploaded_by == account
    event = AuditEvent.objects.filter(action="finding.evidence_submitted").last()
    assert event.actor == "shield-portal"
    for not_mine in (other, Finding.objects.get(title="Not yet shared with the agency")):
        assert (
            client.post(f"/portal/findings/{not_mine.pk}/evidence/", {"evidence_note": "x"}).status_code
            == 403
        )
    client.force_login(focal)
    client.post(f"/findings/{unpaid.pk}/", {"verify": "accept", "verification_note": "Bank receipts checked"})
    unpaid.refresh_from_db()
    assert unpaid.status == "verified"


def test_the_supplier_page_lists_its_findings_in_the_readers_offices(vienna, client):
    from fairprocure.web.suppliers.models import SupplierName
    from fairprocure.web.suppliers.registry import resolve

    guards, focal = vienna["guards"], vienna["focal"]
    findings.raise_finding(guards, focal, title="Overtime unpaid", severity="minor", source="audit")
    elsewhere = office("am-yerevan", "ARM")
    far = contract(elsewhere, "SEC-AM-1", "security", "Shield Guarding LLC")
    findings.raise_finding(
        far, focal, title="Yerevan: uniforms charged to guards", severity="minor", source="audit"
    )
    resolve("Shield Guarding LLC")
    shield = SupplierName.objects.get(name="Shield Guarding LLC").supplier
    client.force_login(vienna["buyer"])
    page = client.get(f"/suppliers/{shield.pk}/").content.decode()
    section = page[page.index('id="supplier-findings"') :]
    assert "Overtime unpaid" in section and "Yerevan" not in section  # another office's finding
