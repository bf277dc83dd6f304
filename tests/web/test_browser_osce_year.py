"""The OSCE's year for two offices in a real browser, against ``fairprocure serve`` started as a user would.

Screening → three contracts assessed as potentially high risk → starter plans edited and approved → a
workshop and a pre-tender briefing recorded → actions done → the dashboard's KPIs equal counts of the
records → the annual report generated, its PDF and DOCX read back carrying the same figures → the same
office screened again, and contracts, plans and decisions unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from web.documents import docx_text, pdf_text, squeeze
from web.live_server import migrated
from web.test_browser import ARGS, CHROMIUM, FAIRPROCURE, SHOTS, cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/web"
PASSWORD = "a long enough password"
YEAR = dt.date.today().year
TIMEOUT = 60_000

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
    pytest.mark.live_server,
]


@pytest.fixture(scope="module")
def osce(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("osce"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "FAIRPROCURE_HOME": str(home),
        "FAIRPROCURE_PASSWORD": PASSWORD,
        "FAIRPROCURE_SECRET_KEY": "osce-year",
    }
    cli(env, "offices", "add", "tj", "--name", "Programme Office in Dushanbe", "--country", "TJK")
    cli(env, "offices", "add", "am", "--name", "Office in Yerevan", "--country", "ARM")
    cli(env, "users", "add", "admin", "--role", "administrator")
    cli(env, "users", "add", "focal", "--role", "focal_point", "--all-offices")
    cli(env, "users", "add", "boss", "--role", "management")
    cli(env, "users", "add", "buyer-tj", "--role", "procurement_officer", "--office", "tj")
    cli(env, "users", "add", "buyer-am", "--role", "procurement_officer", "--office", "am")
    token = cli(env, "users", "token", "admin")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [FAIRPROCURE, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url, token, env, home
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def log_in(browser, url: str, name: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.set_default_timeout(TIMEOUT)
    page.goto(url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)
    return page


def screen(page, url: str, token: str, office: str, path: Path, name: str | None = None) -> None:
    """Upload through the API (as a scheduled ERP export would) and wait for the screening to finish."""
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    upload = {"name": name or path.name, "mimeType": "text/csv", "buffer": path.read_bytes()}
    response = api.post(f"{url}/api/offices/{office}/screenings", headers=headers, multipart={"file": upload})
    assert response.status in (200, 201), response.text()
    screening = response.json()["id"]
    for _ in range(600):
        status = api.get(f"{url}/api/screenings/{screening}", headers=headers).json()["status"]
        if status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert status == "done"


def assess(page, url: str, office: str, contract: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/contracts/?office={office}&q={contract}")  # found by its number, whatever its score
    page.click(f"#contracts-table a:text-is('{contract}')")
    page.check("input[name=a-high_risk][value=yes]")
    page.fill(
        "#id_a-justification", "Labour-intensive service on our premises; agency staff; low-wage sector."
    )
    page.fill("#id_a-measures", "Wage and contribution clause; quarterly payroll checks; worker interviews.")
    page.click("#assess button[type=submit]")
    expect(page.locator("#contract-assessment")).to_have_text("potentially high risk")
    expect(page.locator("#contract-status")).to_have_text("assessed")


def starter_plan(page, url: str, office: str, owner: str) -> str:
    """Create the office's plan, keep the first two suggestions (the first retitled), drop the rest."""
    page.goto(f"{url}/plans/")
    page.select_option("#new-plan #id_office", office)
    page.fill("#new-plan #id_year", str(YEAR))
    page.click("#new-plan button[type=submit]")
    page.click("#starter-link")
    rows = page.locator("#suggestions tbody tr[data-entry]")
    assert rows.count() >= 3
    for i in range(rows.count()):
        if i >= 2:
            page.uncheck(f"#keep-{i}")
    page.fill("#title-0", f"{office}: put the Supplier Code of Conduct into the renewal tender")
    page.select_option("#owner-0", label=owner)
    page.select_option("#owner-1", label=owner)
    page.click("#starter button[type=submit]")
    page.wait_for_url("**/plans/*/")
    assert page.locator("#actions tbody tr").count() == 2
    return page.url


def test_the_osce_year_for_two_offices(osce, browser):
    from playwright.sync_api import expect

    url, token, env, home = osce
    expect.set_options(timeout=TIMEOUT)
    admin = log_in(browser, url, "admin")
    screen(admin, url, token, "tj", FIXTURES / "osce_dushanbe_2026.csv")
    screen(admin, url, token, "am", FIXTURES / "osce_yerevan_2026.csv")

    # Three contracts assessed as potentially high risk by the focal point.
    focal = log_in(browser, url, "focal")
    assess(focal, url, "tj", "TJ-CL-2025-04")
    assess(focal, url, "tj", "TJ-MP-2026-02")
    assess(focal, url, "am", "AM-CL-2025-09")

    # Starter plans from the screening, edited, then approved by management.
    plan_urls = [starter_plan(focal, url, "tj", "buyer-tj"), starter_plan(focal, url, "am", "buyer-am")]
    boss = log_in(browser, url, "boss")
    for plan_url in plan_urls:
        boss.goto(plan_url)
        boss.fill("#approve #id_note", "Approved at the management meeting")
        boss.click("#approve button[type=submit]")
        expect(boss.locator("#plan-status")).to_have_text("approved")
    SHOTS.mkdir(parents=True, exist_ok=True)
    boss.screenshot(path=str(SHOTS / "plan.png"), full_page=True)

    # A workshop in Dushanbe and a pre-tender briefing in Yerevan.
    buyer_tj = log_in(browser, url, "buyer-tj")
    buyer_tj.goto(f"{url}/activities/")
    buyer_tj.fill("#id_title", "Regional workshop: trafficking risks in procurement")
    buyer_tj.select_option("#id_kind", "workshop")
    buyer_tj.fill("#id_date", f"{YEAR}-03-12")
    buyer_tj.fill("#id_participants", "24")
    buyer_tj.check("input[name=participant_roles][value=procurement_staff]")
    buyer_tj.check("input[name=participant_roles][value=focal_points]")
    buyer_tj.click("#new-activity button[type=submit]")
    expect(buyer_tj.locator("#activity-summary")).to_contain_text("24")
    buyer_am = log_in(browser, url, "buyer-am")
    buyer_am.goto(f"{url}/activities/")
    buyer_am.select_option("#id_kind", "pre_tender_briefing")
    buyer_am.fill("#id_title", "Pre-tender briefing for cleaning bidders")
    buyer_am.fill("#id_date", f"{YEAR}-04-02")
    buyer_am.fill("#id_participants", "9")
    buyer_am.check("input[name=participant_roles][value=suppliers]")
    buyer_am.select_option("#id_contracts", label="am: AM-CL-2025-09")
    buyer_am.click("#new-activity button[type=submit]")
    expect(buyer_am.locator("#activity-summary")).to_contain_text("AM-CL-2025-09")

    # Actions done, by their owners, with evidence.
    for page, evidence in (
        (buyer_tj, "Clause in RFQ TJ/2026/031"),
        (buyer_am, "Payroll of March checked: DOC-88"),
    ):
        page.goto(f"{url}/plans/mine/")
        page.locator("#my-actions tbody a").first.click()
        page.select_option("#progress #id_status", "done")
        page.fill("#progress #id_evidence", evidence)
        page.click("#progress button[type=submit]")
        expect(page.locator("#action-status")).to_contain_text("done")

    # The dashboard's KPIs equal counts of the records (read through the API).
    api, headers = admin.context.request, {"Authorization": f"Bearer {token}"}
    plans = api.get(f"{url}/api/plans?year={YEAR}", headers=headers).json()
    actions = [a for p in plans for a in p["actions"]]
    activities = api.get(f"{url}/api/activities?year={YEAR}", headers=headers).json()
    confirmed = api.get(f"{url}/api/contracts?risk=confirmed", headers=headers).json()
    counts = {
        "contracts_assessed_high_risk": len(confirmed),
        "approved_action_plans": sum(p["status"] == "approved" for p in plans),
        "workshops_held": sum(a["kind"] == "workshop" for a in activities),
        "engagement_activities": sum(
            a["kind"] in ("pre_tender_briefing", "supplier_meeting") for a in activities
        ),
        "activity_participants": sum(a["participants"] for a in activities),
        "actions_done": sum(a["status"] == "done" for a in actions),
        "actions_overdue": sum(a["overdue"] for a in actions),
    }
    assert counts["contracts_assessed_high_risk"] == 3 and counts["approved_action_plans"] == 2
    assert (
        counts["workshops_held"] == 1 and counts["engagement_activities"] == 1 and counts["actions_done"] == 2
    )
    boss.goto(f"{url}/dashboard/")
    cards = boss.locator("#kpi-cards .card")
    shown = {
        cards.nth(i).get_attribute("data-kpi"): (
            cards.nth(i).locator("div").nth(0).inner_text(),
            cards.nth(i).locator(".big").inner_text(),
            cards.nth(i).get_attribute("data-value"),
        )
        for i in range(cards.count())
    }
    for kpi, count in counts.items():
        assert float(shown[kpi][2]) == count, kpi
    boss.screenshot(path=str(SHOTS / "dashboard-kpis.png"), full_page=True)

    # The annual report, generated in the workspace; its PDF and DOCX carry the dashboard's figures.
    boss.goto(f"{url}/reports/annual/?year={YEAR}&lang=en")
    expect(boss.locator("#report-figures")).to_contain_text(f"In {YEAR} the organisation has:")
    documents = {}
    for link in ("#report-pdf", "#report-docx"):
        with boss.expect_download() as download:
            boss.click(link)
        documents[link] = Path(download.value.path()).read_bytes()
    texts = [squeeze(pdf_text(documents["#report-pdf"])), squeeze(docx_text(documents["#report-docx"]))]
    for kpi, (label, big, _value) in shown.items():
        for text in texts:
            assert f"{big} — {squeeze(label)}" in text, (kpi, big, label)
    for text in texts:
        assert "Regional workshop" in text and "TJ-MP-2026-02" in text, text
        assert "Modern slavery statement (UK Modern Slavery Act 2015, s.54)" in text and "[GAP:" in text

    # The same report from the command line, in both languages.
    out = home / "reports"
    written = cli(env, "report", "annual", "--year", str(YEAR), "--out", str(out)).splitlines()
    assert len(written) == 6
    russian = squeeze(pdf_text((out / f"annual-report-{YEAR}-ru.pdf").read_bytes()))
    assert f"В {YEAR} году организация:" in russian and "Заявление о современном рабстве" in russian
    assert f"{shown['contracts_assessed_high_risk'][1]} — Договоры, оценённые как договоры" in russian

    # The same office's data screened again (a later export: the same lines and one more):
    # contracts, assessments, plans and actions are unchanged.
    before = {
        "contracts": api.get(f"{url}/api/contracts?risk=confirmed", headers=headers).json(),
        "plans": api.get(f"{url}/api/plans?year={YEAR}", headers=headers).json(),
        "kpis": api.get(f"{url}/api/kpis?year={YEAR}", headers=headers).json(),
    }
    later = FIXTURES / "osce_dushanbe_2026.csv"
    extra = (
        "INV-2026-040,TJ-CL-2025-04,2026-04-30,Toza Shahr LLC,TJK,Office cleaning services April,18500,TJS,\n"
    )
    again = home / "osce_dushanbe_2026_q2.csv"
    again.write_text(later.read_text(encoding="utf-8") + extra, encoding="utf-8")
    screen(admin, url, token, "tj", again)
    after_contracts = api.get(f"{url}/api/contracts?risk=confirmed", headers=headers).json()
    assert [(c["id"], c["key"], c["status"], c["high_risk"]) for c in after_contracts] == [
        (c["id"], c["key"], c["status"], c["high_risk"]) for c in before["contracts"]
    ]
    cleaning = next(c for c in after_contracts if c["key"] == "id:TJ-CL-2025-04")
    assert cleaning["line_count"] == 4  # January to March once each (same invoice numbers), and April
    april = api.get(f"{url}/api/lines?office=tj&q=April", headers=headers).json()
    assert [line["contract_id"] for line in april] == ["TJ-CL-2025-04"]
    detail = api.get(f"{url}/api/contracts/{cleaning['id']}", headers=headers).json()
    assert len(detail["assessments"]) == 1 and detail["assessments"][0]["high_risk"] is True
    assert api.get(f"{url}/api/plans?year={YEAR}", headers=headers).json() == before["plans"]
    kpis_after = {k["id"]: k["value"] for k in api.get(f"{url}/api/kpis?year={YEAR}", headers=headers).json()}
    kpis_before = {k["id"]: k["value"] for k in before["kpis"]}
    for kpi in ("contracts_assessed_high_risk", "approved_action_plans", "actions_done", "workshops_held"):
        assert kpis_after[kpi] == kpis_before[kpi]
