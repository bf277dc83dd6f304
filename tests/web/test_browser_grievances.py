"""The grievance channel in a real browser, as a worker on a phone: a 360 px wide screen, JavaScript off.

A guard reports anonymously in Russian and gets a case code and a secret; the focal point (a desktop,
logged in) reads it, acknowledges and asks a question; the worker opens the case with the code and the
secret, reads the question and answers. A second worker reports with a contact. Then every place the
contact could leak is read: the raw SQLite database file (with its journal), the server's log, the
audit log page and API, the register exports, the findings and KPI API answers for the other roles."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from web.due_diligence_server import cli, person, start
from web.live_server import migrated
from web.test_browser import ARGS, CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "java_script_enabled": False,
}
ACCOUNT = "Охранникам третий месяц не платят зарплату. Бригадир забрал паспорта у четверых."
CONTACT = "+992 93 555 0147, Дилноза"
SECOND_ACCOUNT = "Нас заставляют работать по 16 часов без выходных."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("home"))
    url, env, process, log = start(home, "grievances")
    yield url, home, env, log
    process.terminate()
    process.wait(timeout=10)


def _fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px screen"


def _report(browser, url: str, account: str, contact: str | None):
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(url + "/report/?lang=ru")
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert phone.locator("script").count() == 0
    _fits_the_screen(phone)
    if not contact:
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "report-ru-phone.png"), full_page=True)
    phone.check("input[name=topic][value=pay]")
    phone.fill("#account", account)
    phone.fill("#workplace", "Охрана объекта, Душанбе")
    phone.select_option("#office", "tj-dushanbe")
    if contact:
        phone.check("input[name=anonymous][value=no]")
        phone.fill("#contact", contact)
    phone.click("#report-form button[type=submit]")
    code, secret = phone.locator("#case-code").inner_text(), phone.locator("#case-secret").inner_text()
    assert "Мы получили ваше сообщение" in phone.content()
    _fits_the_screen(phone)
    return phone, code, secret


def test_anonymous_russian_report_on_a_phone_followed_up_and_answered(server):
    from playwright.sync_api import expect, sync_playwright

    url, home, env, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone, code, secret = _report(browser, url, ACCOUNT, None)

        # The focal point reads the case, acknowledges it and asks a question.
        focal = person(browser, url, "olga")
        focal.goto(url + "/grievances/")
        focal.locator("#cases tbody a").first.click()
        expect(focal.locator("#case-account")).to_contain_text("забрал паспорта")
        expect(focal.locator("#case-contact")).to_have_text("anonymous")
        expect(focal.locator("#case-timer")).to_have_attribute("data-timer", "pending")
        focal.fill("#reply-message", "Спасибо. Мы получили ваше сообщение. На каком объекте это происходит?")
        focal.click("#acknowledge")
        expect(focal.locator("#case-timer")).to_have_attribute("data-timer", "in_time")

        # The worker opens the case with the code (typed loosely) and the secret, reads and answers.
        phone.goto(url + "/report/follow/?lang=ru")
        phone.fill("#code", code.lower().replace("-", " "))
        phone.fill("#secret", secret)
        phone.click("#follow-form button[type=submit]")
        expect(phone.locator("#case-thread")).to_contain_text("На каком объекте это происходит?")
        expect(phone.locator("#case-status")).to_contain_text("получено и подтверждено")
        _fits_the_screen(phone)
        phone.fill("#message", "Объект «Щит», ночная смена.")
        phone.click("#reply-form button[type=submit]")
        expect(phone.locator("#case-thread")).to_contain_text("ночная смена")

        focal.reload()
        expect(focal.locator("#case-thread")).to_contain_text("ночная смена")
        # Triage to the guarding contract and a finding in the focal point's own words.
        focal.check("#triage input[name=immediate_danger]")
        focal.select_option("#triage-contract", label="SEC-2026-01")
        focal.click("#triage button")
        expect(focal.locator("#referral-guidance")).to_be_visible()
        focal.fill("#cf-title", "Wages unpaid for three months; identity documents held by a supervisor")
        focal.select_option("#cf-severity", "critical")
        focal.click("#case-finding button")
        expect(focal.locator("h1")).to_contain_text("identity documents held")

        # A wrong secret opens nothing.
        phone.goto(url + "/report/follow/?lang=ru")
        phone.fill("#code", code)
        phone.fill("#secret", "AAAA-BBBB-CCCC")
        phone.click("#follow-form button[type=submit]")
        expect(phone.locator(".error")).to_be_visible()

        # A second worker reports with a contact; then every place it could leak is read.
        _report(browser, url, SECOND_ACCOUNT, CONTACT)
        focal.goto(url + "/grievances/")
        focal.locator("#cases tbody a").first.click()
        expect(focal.locator("#case-contact")).to_have_text(CONTACT)
        browser_pages = _other_roles_pages(browser, url, env)
        browser.close()

    secrets = [CONTACT, "Дилноза", "555 0147", "забрал паспорта", "16 часов", "ночная смена", secret]
    raw = b"".join(f.read_bytes() for f in home.glob("workspace.sqlite3*"))
    # Controls: the reading works (the finding's own words and the supplier are there in clear).
    assert b"identity documents held by a supervisor" in raw and b"Shield Guarding LLC" in raw
    assert any(
        "identity documents held by a supervisor" in body
        for name, body in browser_pages
        if "/findings/" in name
    )
    for text in secrets:
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in raw, f"{text!r} in the raw database file"
    server_log = log.read_bytes().decode("utf-8", "replace")
    for name, body in [("server log", server_log), *browser_pages]:
        leaked = [t for t in secrets if t in body]
        assert not leaked, f"{leaked} in the {name}"


def _text(body: bytes) -> str:
    """A page's or an export's text; an XLSX (a zip) unpacked, so its shared strings are read too."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def _other_roles_pages(browser, url: str, env: dict) -> list[tuple[str, str]]:
    """What the administrator, the auditor and the procurement officer can read, page by page."""
    pages = []
    for name in ("admin", "audrey", "rustam"):
        page = person(browser, url, name)
        token = cli(env, "users", "token", name).split()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        for path in ("/audit/", "/findings/", "/findings/1/", "/kpis/", "/contracts/", "/register/export.csv",
                     "/register/export.xlsx"):  # fmt: skip
            response = page.context.request.get(url + path)
            if response.status == 200:
                pages.append((f"{name} {path}", _text(response.body())))
        for path in ("/api/audit", "/api/findings", "/api/kpis", "/api/grievances", "/api/grievances/1"):
            response = page.context.request.get(url + path, headers=headers)
            if path.startswith("/api/grievances"):
                assert response.status == 403, f"{name} reads {path}"
            pages.append((f"{name} {path}", json.dumps(response.json(), ensure_ascii=False)))
        assert page.goto(url + "/grievances/").status == 403
    return pages
