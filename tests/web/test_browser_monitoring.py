"""The OSCE security-guard case in a real browser: the focal point confirms the guarding contract as
high risk; the procurement officer starts its monitoring plan, records a payroll check that finds the
social contributions unpaid with the payroll extract attached, raises a major finding, agrees the
corrective action plan (deadline from the policy) and submits the contribution receipts; the focal point
verifies and closes it — and the KPIs move."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from web.due_diligence_server import contract_url, person, start
from web.live_server import migrated
from web.test_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("home"))
    url, _env, process, _log = start(home, "monitoring")
    yield url, home
    process.terminate()
    process.wait(timeout=10)


def kpi(page, url: str, kpi_id: str) -> str:
    page.goto(url + "/kpis/?office=tj-dushanbe")
    return page.locator(f"[data-kpi={kpi_id}]").get_attribute("data-value")


def test_security_guards_payroll_check_to_closed_finding(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    payroll = tmp_path / "payroll-march.csv"
    payroll.write_text("guard,gross,contributions paid\nG-01,3100,0\nG-02,3100,0\n", encoding="utf-8")
    receipts = tmp_path / "social-fund-receipts.pdf"
    receipts.write_bytes(b"%PDF-1.4\n% receipts for the arrears\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        focal, buyer = person(browser, url, "olga"), person(browser, url, "rustam")
        assert kpi(buyer, url, "monitoring_checks_done") == "0.0"
        assert kpi(buyer, url, "findings_closed_major") == "0.0"

        # The focal point confirms the guarding contract as potentially high risk.
        guards = contract_url(focal, url, "SEC-2026-01")
        focal.check("#id_a-high_risk_0")
        focal.fill("#id_a-justification", "Outsourced guards on our premises, agency workforce.")
        focal.fill("#id_a-measures", "Quarterly payroll and contribution checks; interviews.")
        focal.click("#assess button[type=submit]")
        expect(focal.locator("#contract-assessment")).to_contain_text("potentially high risk")

        # The procurement officer starts monitoring: security checklist, a check every 90 days (high risk).
        buyer.goto(guards)
        expect(buyer.locator("#monitoring-service")).to_have_value("security")
        buyer.click("#start-monitoring button")
        expect(buyer.locator("#plan-summary")).to_contain_text("90")
        expect(buyer.locator("#checklist tr[data-item=liability_insurance]")).to_be_visible()

        # Payroll check: wages in order, social contributions unpaid; the payroll extract attached.
        buyer.select_option("#check-method", "payroll")
        for item in ("wages", "liability_insurance", "uniforms", "equipment", "training"):
            buyer.select_option(f"#item-{item}", "ok")
        buyer.select_option("#item-contributions", "issue")
        buyer.fill("#note-contributions", "No social-fund payments for 14 guards since January")
        buyer.fill("#check-workers", "14")
        buyer.click("#record-check button")
        expect(buyer.locator("#check-results tr[data-item=contributions]")).to_have_attribute(
            "data-outcome", "issue"
        )
        expect(buyer.locator("#check-indicators")).to_contain_text("Withholding of wages")
        buyer.fill("#evidence-title", "Payroll extract, March")
        buyer.set_input_files("#evidence-file", str(payroll))
        buyer.click("#attach-evidence button")
        expect(buyer.locator("#check-evidence")).to_contain_text("Payroll extract, March")

        # A major finding: the corrective action deadline is 30 days on (the policy's major_days).
        buyer.click("#raise-finding")
        expect(
            buyer.locator("#finding-indicators input[name=indicator-withholding_of_wages]")
        ).to_be_checked()
        buyer.fill("#finding-title", "Social contributions unpaid for 14 guards")
        buyer.select_option("#finding-severity", "major")
        buyer.fill("#finding-description", "Payroll for January to March shows no social-fund payments.")
        buyer.click("#new-finding button")
        deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        expect(buyer.locator("#finding-deadline")).to_have_text(deadline)
        expect(buyer.locator("#finding-status")).to_have_text("open")
        finding = buyer.url

        buyer.fill("#cap-root", "Payroll outsourced to an accountant nobody checked")
        buyer.fill("#cap-corrective", "Pay all arrears of contributions for the 14 guards")
        buyer.fill("#cap-preventive", "Monthly social-fund receipts with each invoice")
        buyer.fill("#cap-owner", "Shield Guarding LLC, finance director")
        buyer.click("#agree-plan")
        expect(buyer.locator("#finding-status")).to_have_text("corrective plan agreed")
        buyer.fill("#evidence-note-input", "Arrears paid on 12 March")
        buyer.fill("#evidence-title", "Social-fund receipts")
        buyer.set_input_files("#evidence-file", str(receipts))
        buyer.click("#submit-evidence button")
        expect(buyer.locator("#finding-status")).to_have_text("evidence submitted")
        expect(buyer.locator("#finding-evidence")).to_contain_text("Social-fund receipts")

        # The focal point verifies against the social fund's statement and closes the finding.
        focal.goto(finding)
        focal.fill("#verification-note", "Receipts checked against the social fund's statement")
        focal.click("#verify-accept")
        expect(focal.locator("#finding-status")).to_have_text("verified")
        focal.click("#close button")
        expect(focal.locator("#finding-status")).to_have_text("closed")
        expect(focal.locator("#closure")).to_contain_text("olga")

        # The contract page shows it; the KPIs moved.
        buyer.goto(guards)
        expect(buyer.locator("#contract-findings")).to_contain_text("closed")
        assert kpi(buyer, url, "monitoring_checks_done") == "1.0"
        assert kpi(buyer, url, "findings_closed_major") == "1.0"
        assert kpi(buyer, url, "findings_open_major") == "0.0"
        assert kpi(buyer, url, "days_to_remediation") == "0.0"
        browser.close()
