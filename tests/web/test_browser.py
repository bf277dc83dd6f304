"""The workspace in a real browser, against ``fairprocure serve`` started as a user would start it.

Headless Debian chromium driven by Playwright. Screenshots go to a temporary folder, or to
docs/screenshots/ with FAIRPROCURE_UPDATE_SCREENSHOTS=1 (so a test run does not dirty the docs).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web.live_server import migrated

CHROMIUM = "/usr/bin/chromium"
FAIRPROCURE = str(Path(sys.executable).with_name("fairprocure"))
ROOT = Path(__file__).resolve().parents[2]
REAL_FILE = ROOT / "src/fairprocure/demo/uk_contracts_finder_releases.jsonl"
SHOTS = (
    ROOT / "docs/screenshots"
    if os.environ.get("FAIRPROCURE_UPDATE_SCREENSHOTS")
    else Path(os.environ.get("TMPDIR", "/tmp")) / "fairprocure-screenshots"
)
PASSWORD = "a long enough password"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
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
        "FAIRPROCURE_SECRET_KEY": "browser-test",
    }
    cli(env, "offices", "add", "uk", "--name", "London office", "--country", "GBR")
    cli(env, "offices", "add", "tj", "--name", "Dushanbe office", "--country", "TJK")
    cli(env, "users", "add", "admin", "--role", "administrator")
    cli(env, "users", "add", "buyer-tj", "--role", "procurement_officer", "--office", "tj")
    token = cli(env, "users", "token", "buyer-tj")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
    yield url, token
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def log_in(page, url: str, name: str) -> None:
    page.goto(url + "/")
    assert "/login/" in page.url
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_upload_screen_decide_and_audit_then_another_office_sees_none_of_it(server, browser):
    from playwright.sync_api import expect

    url, token = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "admin")
    page.goto(url + "/screenings/")
    page.select_option("#id_office", "uk")
    page.set_input_files("#id_file", str(REAL_FILE))
    page.click("#upload button[type=submit]")
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=120_000)
    assert re.search(r"\d+ lines screened", page.content())

    page.goto(url + "/dashboard/")
    expect(page.locator("#heatmap")).to_contain_text("uk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

    # Keyboard only: Tab reaches the chart's bars and the heat map's cells, with a visible focus ring;
    # Enter opens the cell's lines in the register.
    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "() => { const a = document.activeElement; const box = a.closest('#chart-categories, #heatmap');"
            " return box ? [box.id, getComputedStyle(a).outlineStyle] : null; }"
        )
        if where and where[0] not in [r[0] for r in reached]:
            reached.append(where)
        if where and where[0] == "heatmap":
            break
    assert [box for box, _ in reached] == ["chart-categories", "heatmap"]
    assert all(outline != "none" for _, outline in reached)
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/?*category=*")

    page.goto(url + "/register/?office=uk")
    page.locator("#register-table tbody a").first.click()
    expect(page.locator("#factors")).to_be_visible()
    line_url = page.url
    page.screenshot(path=str(SHOTS / "line.png"), full_page=True)
    page.select_option("#id_level", "critical")
    page.fill("#id_justification", "Site visit found recruitment fees charged to workers.")
    page.click("#decision button[type=submit]")
    expect(page.locator("#level-now")).to_have_text("critical")
    expect(page.locator("#decisions")).to_contain_text("recruitment fees")

    page.goto(url + "/audit/")
    expect(page.locator("#audit")).to_contain_text("risk.raise")
    expect(page.locator("#audit")).to_contain_text("recruitment fees")
    page.click("header form button[type=submit]")  # log out

    log_in(page, url, "buyer-tj")
    page.goto(url + "/register/")
    expect(page.locator("#register-table")).to_contain_text("No lines match")
    response = page.goto(line_url)
    assert response.status == 403
    line_id = line_url.rstrip("/").split("/")[-1]
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get(f"{url}/api/lines/{line_id}", headers=headers).status == 403
    assert api.get(f"{url}/api/lines", headers=headers).json() == []
    assert api.get(f"{url}/api/lines?office=uk", headers=headers).status == 403
