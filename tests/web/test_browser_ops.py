"""In Chromium, as people use it: exports that cannot attack, a lockout that spares colleagues, jobs to follow.

``fairprocure serve`` (two screening workers) on a fresh home, Debian's chromium driven by Playwright.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from web.live_server import PASSWORD, Server, migrated, provision

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
]
HOSTILE_SUPPLIER = '=HYPERLINK("http://evil.example/","Click me")'
HOSTILE_DESCRIPTION = "=cmd|' /C calc'!A0 office cleaning"
HEADER = ["Supplier", "Description", "CPV", "Amount", "Currency", "Date", "Supplier country"]


def ledger(path: Path, rows: int, hostile: bool = False, seed: str = "") -> Path:
    """A ledger with CPV codes (no text model needed): cleaning, garments and paper lines."""
    kinds = [("90919200", "office cleaning"), ("18100000", "staff uniforms"), ("30197600", "copy paper")]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        if hostile:
            out.writerow(
                [
                    HOSTILE_SUPPLIER,
                    HOSTILE_DESCRIPTION,
                    "90919200",
                    "-1200.50",
                    "EUR",
                    "2025-01-09",
                    "Germany",
                ]
            )
        for i in range(rows):
            cpv, what = kinds[i % 3]
            out.writerow(
                [
                    f"Supplier {seed}{i % 97}",
                    f"{what} lot {seed}{i}",
                    cpv,
                    100 + i % 1000,
                    "EUR",
                    "2025-02-01",
                    "Bangladesh",
                ]
            )
    return path


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    home = migrated(tmp_path_factory.mktemp("ops-home"))
    tokens = json.loads(
        provision(
            home,
            "import json\n"
            "from fairprocure.web.accounts.services import add_user, issue_token\n"
            "from fairprocure.web.offices.services import add_office\n"
            "for code in ('hq', 'big', 'small'):\n"
            "    add_office(code, f'Office {code}', 'AUT', actor='test')\n"
            "add_user('admin', 'administrator', 'a long enough password', actor='test')\n"
            "add_user('anna', 'management', 'a long enough password', actor='test')\n"
            "add_user('olga', 'management', 'a long enough password', actor='test')\n"
            "print(json.dumps({'admin': issue_token('admin')}))\n",
        )
        .strip()
        .splitlines()[-1]
    )
    server = Server(home, "--workers", "2", env={"FAIRPROCURE_STREAM_ABOVE_MB": "1"}).start()
    yield server.url, tokens, home
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def log_in(page, url: str, name: str, password: str = PASSWORD):
    page.goto(url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def upload_in_page(page, url: str, office: str, path: Path) -> None:
    page.goto(url + "/screenings/")
    page.select_option("#id_office", office)
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/screenings/*/preview/")  # the columns' preview (issue 8): as recognised
    page.click("#confirm-columns")
    page.wait_for_url("**/screenings/*/")


def test_formula_cells_are_inert_in_both_exports(live, browser, tmp_path):
    from playwright.sync_api import expect

    url, _, _ = live
    page = browser.new_page()
    log_in(page, url, "admin")
    upload_in_page(page, url, "hq", ledger(tmp_path / "hostile.csv", 30, hostile=True))
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=120_000)
    page.goto(url + "/register/?office=hq")
    files = {}
    for kind in ("csv", "xlsx"):
        with page.expect_download() as download:
            page.click(f"a[href*='export.{kind}']")
        files[kind] = Path(download.value.path()).read_bytes()

    rows = list(csv.DictReader(io.StringIO(files["csv"].decode())))
    hostile = next(r for r in rows if "HYPERLINK" in r["supplier_name"])
    assert hostile["supplier_name"] == "'" + HOSTILE_SUPPLIER
    assert hostile["description"] == "'" + HOSTILE_DESCRIPTION
    assert hostile["value"] == "-1200.5"  # the negative amount stays a number

    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"])).active
    header = [c.value for c in sheet[1]]
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("supplier_name")].value == HOSTILE_SUPPLIER
    )
    cell = row[header.index("supplier_name")]
    assert cell.data_type == "s" and cell.quotePrefix
    assert row[header.index("value")].value == -1200.5
    page.close()


def test_a_locked_out_user_name_does_not_lock_a_colleague_at_the_same_address(live, browser):
    url, _, _ = live
    context = browser.new_context()
    page = context.new_page()
    for name in ("ghost-user", "olga"):  # a made-up name, then a real one: five wrong passwords each
        for _ in range(5):
            log_in(page, url, name, "wrong password")
    log_in(page, url, "olga", PASSWORD)  # the right password, too late
    assert page.locator("#locked-out").is_visible()
    assert "Other users can still log in" in page.content()
    colleague = browser.new_context().new_page()  # anna, behind the same address (127.0.0.1)
    log_in(colleague, url, "anna", PASSWORD)
    colleague.wait_for_url("**/dashboard/")
    assert "anna" in colleague.locator("header").inner_text()
    context.close()
    colleague.context.close()


def test_a_large_upload_shows_progress_and_another_offices_small_upload_finishes_first(
    live, browser, tmp_path
):
    from playwright.sync_api import expect

    url, tokens, _ = live
    # One long job for the office (long enough to watch on a quiet machine), then a second file for the
    # same office, which must wait for it, and another office's small file, which must not.
    big = [
        ledger(tmp_path / "big-1.csv", 40_000, seed="b1-"),
        ledger(tmp_path / "big-2.csv", 2_000, seed="b2-"),
    ]
    small = ledger(tmp_path / "small.csv", 40, seed="s-")
    page = browser.new_page()
    log_in(page, url, "admin")
    upload_in_page(page, url, "big", big[0])
    first = page.url
    upload_in_page(page, url, "big", big[1])  # the office's second file waits for the first
    second = page.url
    other = browser.new_page()  # another office's officer uploads a small file meanwhile
    log_in(other, url, "admin")
    upload_in_page(other, url, "small", small)

    page.goto(first)
    seen = set()
    deadline = time.monotonic() + 120
    while len(seen) < 2 and time.monotonic() < deadline:  # the percent moves while it runs
        if page.locator("#job-percent").count():
            seen.add(int(page.locator("#job-percent").get_attribute("data-percent")))
        page.wait_for_timeout(200)
    assert len(seen) >= 2 and all(0 <= p < 100 for p in seen), seen

    expect(other.locator("#job-status")).to_have_attribute("data-status", "done", timeout=120_000)
    page.goto(url + "/dashboard/")
    in_progress = page.locator("#in-progress").inner_text()
    assert "big · big-1.csv" in in_progress and "finished screenings only" in in_progress
    states = {s["file_name"]: s["status"] for s in _api(url, tokens["admin"], "/api/screenings")}
    assert states["small.csv"] == "done"
    assert states["big-1.csv"] == "running" and states["big-2.csv"] == "queued", states

    for screening in (first, second):  # the large ones complete too
        page.goto(screening)
        expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=240_000)
    page.close()
    other.close()


def _api(url: str, token: str, path: str):
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())
