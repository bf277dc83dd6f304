"""A tender dossier in a real browser: "office cleaning, Programme Office in Dushanbe", every stage signed off.

The procurement officer prepares the dossier (clauses, criteria, price checks, the pre-tender briefing,
the annex); the focal point signs each stage off in a second browser context. The annex DOCX and PDF
are downloaded and read back: the chosen clauses are there in Russian, the office's language.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web.live_server import migrated
from web.test_browser import ARGS, CHROMIUM

FAIRPROCURE = str(Path(sys.executable).with_name("fairprocure"))
PASSWORD = "a long enough password"
FLOORS = (
    "country,sector,amount,currency,period,normal_hours,valid_from,kind,source\n"
    "TJK,all,1000,TJS,month,160,2024-01-01,legal_minimum,Illustrative figure for the test (load your own)\n"
)
CLAUSES = {  # key: its Russian title, which the annex must carry
    "no-forced-labour": "Недопущение принудительного и кабального труда и торговли людьми",
    "wages-and-contributions": "Заработная плата, рабочее время и социальные взносы",
    "audit-rights-heightened": "Мониторинг, посещение объектов и конфиденциальные беседы с работниками",
    "suspension-until-reform": "Поэтапные меры: приостановление до устранения нарушений, расторжение как крайняя мера",
}
STAGES = ["market_research", "analysis", "engagement", "specification", "contract_management"]

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


def cli(env: dict, *args: str) -> str:
    done = subprocess.run([FAIRPROCURE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("home"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "FAIRPROCURE_HOME": str(home),
        "FAIRPROCURE_PASSWORD": PASSWORD,
        "FAIRPROCURE_SECRET_KEY": "tenders",
    }
    cli(env, "offices", "add", "tj-dushanbe", "--name", "Programme Office in Dushanbe", "--country", "TJK")
    cli(env, "users", "add", "olga", "--role", "focal_point", "--office", "tj-dushanbe")
    cli(env, "users", "add", "rustam", "--role", "procurement_officer", "--office", "tj-dushanbe")
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
    yield url, home
    process.terminate()
    process.wait(timeout=10)


def person(browser, url: str, name: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def test_office_cleaning_dossier_in_dushanbe_through_every_stage(server, tmp_path):
    from django.apps import apps
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    floors = tmp_path / "wage-floors.csv"
    floors.write_text(FLOORS, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        focal, buyer = person(browser, url, "olga"), person(browser, url, "rustam")

        # The focal point loads the wage floor (users load their own, with its source).
        focal.goto(url + "/tenders/")
        focal.set_input_files("#floors-file", str(floors))
        focal.click("#load-floors button")
        expect(focal.locator("#wage-floors")).to_contain_text("Illustrative figure")

        # The procurement officer starts the dossier; the documents' language is the office's: Russian.
        buyer.goto(url + "/tenders/")
        buyer.fill("#dossier-title", "office cleaning")
        buyer.select_option("#dossier-category", "cleaning")
        buyer.click("#new-dossier button")
        expect(buyer.locator("h1")).to_have_text("office cleaning")
        dossier = buyer.url.rstrip("/")
        expect(buyer.locator("#dossier-language")).to_have_text("Русский")
        expect(buyer.locator("#risk-picture")).to_contain_text("Tajikistan")

        for key in CLAUSES:
            buyer.click(f"#suggested-clauses button[value={key}]")
            expect(buyer.locator(f"#chosen-clauses tr[data-clause={key}] .version")).to_have_text("1")
        buyer.click("#starter-criteria")
        expect(buyer.locator("#social-weight")).to_contain_text("10")
        expect(buyer.locator("#criteria-problems")).to_have_count(0)

        # Abnormally low prices: 6 cleaners × 160 h × 12 months × 6.25 TJS/h = 72,000 + 25% + 5,000 = 95,000.
        for bidder, price in (("Arzon Clean LLC", "80000"), ("Toza Service LLC", "99000")):
            buyer.fill("#bid-bidder", bidder)
            buyer.fill("#bid-price", price)
            buyer.fill("#bid-months", "12")
            buyer.fill("#bid-contributions", "25")
            buyer.fill("#role0-name", "cleaner")
            buyer.fill("#role0-headcount", "6")
            buyer.fill("#role0-hours", "160")
            buyer.fill("#bid-equipment", "3000")
            buyer.fill("#bid-insurance", "1200")
            buyer.fill("#bid-training", "800")
            buyer.click("#check-bid button")
        low, high = (
            buyer.locator("#checks tr[data-bidder='Arzon Clean LLC']"),
            buyer.locator("#checks tr[data-bidder='Toza Service LLC']"),
        )
        expect(low).to_contain_text("95,000.00")
        expect(low.locator(".result")).to_contain_text("FLAGGED")
        expect(high.locator(".result")).to_have_text("passes")

        if apps.is_installed("fairprocure.web.activities"):  # briefings are activities (issue 11's module)
            buyer.fill("#briefing-participants", "14")
            buyer.click("#record-briefing button")
            expect(buyer.locator("#briefings")).to_contain_text("Pre-tender briefing: office cleaning")
            buyer.click("#briefings a")  # the activity, counted in the KPIs, names its dossier
            expect(buyer.locator("#activity-summary")).to_contain_text("14")
            buyer.click("#activity-dossier")
            buyer.wait_for_url(f"{dossier}/")

        # The annex, as DOCX and PDF, read back: the chosen clauses in Russian.
        with buyer.expect_download() as got:
            buyer.click("#annex-docx")
        docx_text = read_docx(Path(got.value.path()).read_bytes())
        with buyer.expect_download() as got:
            buyer.click("#annex-pdf")
        pdf_text = " ".join(read_pdf(Path(got.value.path()).read_bytes()).split())
        for title in CLAUSES.values():
            assert title in docx_text
            assert " ".join(title.split()) in pdf_text or title[:40] in pdf_text
        assert "Декларация поставщика" in docx_text and "План обеспечения трудовых прав" in docx_text

        # Every stage: the officer completes it, the focal point signs it off.
        for stage in STAGES:
            buyer.goto(f"{dossier}/stages/{stage}/")
            for box in buyer.locator("#stage-form input[type=checkbox]").all():
                box.check()
            buyer.fill("#decisions", f"Decided at {stage}: proceed as the guidance says.")
            buyer.click("#stage-form button")
            expect(buyer.locator("#sign-off")).to_have_count(0)  # an officer cannot sign off
            focal.goto(f"{dossier}/stages/{stage}/")
            expect(focal.locator("#guidance")).to_contain_text("Sources")
            expect(focal.locator("#blockers")).to_have_count(0)
            focal.click("#sign-off button")
            expect(focal.locator("#stage-status")).to_contain_text("olga")
        buyer.goto(dossier + "/")
        expect(buyer.locator("#stages .signoff")).to_contain_text(["✔ olga"] * 5)
        buyer.click("#sign-contract button")
        expect(buyer.locator("#dossier-signed")).not_to_have_text("—")
        buyer.screenshot(path=str(tmp_path / "dossier.png"), full_page=True)
        browser.close()


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read_docx(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
