"""Supplier due diligence in a real browser: a buyer invites a supplier, the supplier answers in
Russian in the portal, the buyer reviews, and the next screening carries the supplier's evidence.

Against ``fairprocure serve`` started as a user would start it, with headless Debian chromium.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from web.live_server import migrated
from web.test_browser import ARGS, CHROMIUM, FAIRPROCURE, SHOTS, cli

PASSWORD = "a long enough password"
LEDGER = """Supplier,Description,Amount (EUR),Date,Supplier country
ООО «Чистый Дом»,Office cleaning services Dushanbe premises,18400,2026-01-31,TJK
ООО «Чистый Дом»,Office cleaning services Dushanbe premises,18400,2026-02-28,TJK
Chistyy Dom LLC,Window cleaning of the annex,2100,2026-03-15,TJK
Pamir Stationery,Printer paper A4,950,2026-02-10,TJK
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("home"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "FAIRPROCURE_HOME": str(home),
        "FAIRPROCURE_PASSWORD": PASSWORD,
        "FAIRPROCURE_SECRET_KEY": "browser-test",
    }
    cli(env, "offices", "add", "tj", "--name", "Programme Office in Dushanbe", "--country", "TJK")
    cli(env, "users", "add", "buyer-tj", "--role", "procurement_officer", "--office", "tj")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env["FAIRPROCURE_BASE_URL"] = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [FAIRPROCURE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url, home
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _log_in(page, url: str, name: str) -> None:
    page.goto(url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def _screen(page, url: str, path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(url + "/screenings/")
    page.select_option("#id_office", "tj")
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.click("#confirm-columns")  # the columns' preview (issue 8): as recognised
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=180_000)


def test_invite_answer_in_russian_review_and_the_next_screening_carries_the_evidence(
    server, browser, tmp_path
):
    from playwright.sync_api import expect

    url, _home = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    first = tmp_path / "q1" / "ledger.csv"
    first.parent.mkdir()
    first.write_text(LEDGER, encoding="utf-8")
    buyer = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(buyer, url, "buyer-tj")
    _screen(buyer, url, first)

    # The registry holds one supplier behind the two spellings; the buyer invites it, in Russian.
    buyer.goto(url + "/suppliers/?q=Chistyy")
    buyer.locator("#suppliers tbody a").first.click()
    expect(buyer.locator("#spellings")).to_contain_text("ООО «Чистый Дом»")
    expect(buyer.locator("#spellings")).to_contain_text("Chistyy Dom LLC")
    supplier_url = buyer.url
    buyer.select_option("#id_office", index=1)
    buyer.select_option("#id_version", index=1)
    buyer.select_option("#id_variant", "services")
    buyer.fill("#id_email", "hr@chistyy-dom.example")
    buyer.select_option("#id_language", "ru")
    buyer.click("#invite button[type=submit]")
    message = buyer.locator(".message").first.inner_text()
    code = re.search(r"code is ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", message).group(1)

    # The supplier opens the portal with the code, creates its account and answers in Russian.
    supplier = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    supplier.goto(url + "/portal/code/")
    supplier.fill("#id_code", code)
    supplier.click("main button[type=submit]")
    supplier.fill("#id_username", "chistyy-dom")
    supplier.fill("#id_password", PASSWORD)
    supplier.click("#accept button[type=submit]")
    expect(supplier.locator("h1")).to_contain_text("Трудовые права")
    supplier.fill("#title-policy_file", "Политика о трудовых правах")
    pdf = tmp_path / "politika.pdf"
    pdf.write_bytes(PDF)
    supplier.set_input_files("#file-policy_file", str(pdf))
    supplier.fill("#until-policy_file", "2027-06-30")
    supplier.click("#upload-policy_file button[type=submit]")
    expect(supplier.locator(".message").first).to_contain_text("Документ загружен")
    answers = {
        "policy": "yes", "recruitment_fees": "no", "identity_documents": "no", "written_contract": "yes",
        "minimum_wage": "yes", "wage_payment": "bank_on_time", "deductions": "no", "overtime_voluntary": "yes",
        "free_to_leave": "yes", "social_contributions": "yes", "subcontractors_disclosed": "yes",
        "grievance": "yes", "housing": "none", "social_audit": "recent_clean",
    }  # fmt: skip
    for name, value in answers.items():
        supplier.check(f"#answers input[name={name}][value={value}]")
    supplier.fill("#answers input[name=weekly_hours]", "52")
    supplier.fill("#answers input[name=agency_share]", "0")
    supplier.fill("#answers input[name=workers]", "35")
    supplier.fill(
        "#answers textarea[name=comments]", "Уборщицы работают в две смены, договоры на таджикском и русском."
    )
    supplier.click("#answers button[name=submit]")
    expect(supplier.locator(".message").first).to_contain_text("Перед отправкой подтвердите")
    expect(supplier.locator("#q-weekly_hours .recommendation")).to_contain_text("48")
    supplier.check("#answers input[name=ack_weekly_hours]")
    supplier.screenshot(path=str(SHOTS / "portal-answers.png"), full_page=True)
    supplier.click("#answers button[name=submit]")
    expect(supplier.locator(".message").first).to_contain_text("Спасибо")
    expect(supplier.locator("#answer-status")).to_have_attribute("data-status", "submitted")
    assert supplier.goto(url + "/register/").status == 403  # the portal and nothing else

    # The buyer reviews and accepts the answers.
    buyer.goto(url + "/questionnaires/")
    buyer.locator("#to-review a").first.click()
    expect(buyer.locator("#answers")).to_contain_text("Уборщицы работают в две смены")
    buyer.select_option("#id_decision", "accept")
    buyer.click("#review button[type=submit]")
    expect(buyer.locator("#response-status")).to_have_attribute("data-status", "accepted")

    # The next screening (the same ledger, exported again a month later) shows the supplier-evidence
    # factor on that supplier's lines.
    second = tmp_path / "q2" / "ledger.csv"
    second.parent.mkdir()
    second.write_text(
        LEDGER + "ООО «Чистый Дом»,Office cleaning services Dushanbe premises,18400,2026-03-31,TJK\n", "utf-8"
    )
    _screen(buyer, url, second)
    buyer.goto(supplier_url)
    buyer.locator("#supplier-lines a").first.click()
    factors = buyer.locator("#factors")
    expect(factors).to_contain_text("questionnaire v1, answered")
    expect(factors).to_contain_text("no red flag")
    buyer.screenshot(path=str(SHOTS / "supplier-evidence-line.png"), full_page=True)
    lines_of_stationer = buyer.goto(url + "/register/?q=Pamir")
    assert lines_of_stationer.status == 200
    buyer.locator("#register-table tbody a").first.click()
    expect(buyer.locator("#factors")).not_to_contain_text("questionnaire v1")
