"""Lines and decisions across monthly uploads, in a real browser against ``fairprocure serve``.

January's and February's ``export.csv`` both stay in the register; a decision taken in February on
row 2 is carried over when March brings the line unchanged and shown as stale when March's row 2 is
another purchase under the same record number. Headless Debian chromium driven by Playwright.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.test_browser import CHROMIUM, browser, cli, log_in, server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
]

HEADER = "Transaction number,Supplier,Description,Amount,Currency,Date\n"
JANUARY = HEADER + (
    "T-1,Fresh Catering Ltd,catering services staff canteen,1200,EUR,2025-01-10\n"
    "T-2,Clean Co,office cleaning services,800,EUR,2025-01-15\n"
)
FEBRUARY = HEADER + (  # row 2 is the line the decision is about
    "T-4,Fresh Catering Ltd,catering services conference lunch,1250,EUR,2025-02-10\n"
    "T-3,Paper Ltd,printing paper,90,EUR,2025-02-03\n"
)
MARCH_UNCHANGED = HEADER + (
    "T-4,Fresh Catering Ltd,catering services conference lunch,1250,EUR,2025-02-10\n"
    "T-5,Paper Ltd,printing paper,95,EUR,2025-03-03\n"
)
MARCH_CHANGED = HEADER + (
    "T-4,Guard Co,security guarding night shifts subcontracted,1250,EUR,2025-03-10\n"
    "T-5,Paper Ltd,printing paper,95,EUR,2025-03-03\n"
)


def upload(page, url: str, folder: Path, text: str, office: str) -> None:
    """Upload ``text`` as ``export.csv`` (always the same file name) for ``office`` and wait for it."""
    from playwright.sync_api import expect

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.csv"
    path.write_text(text, encoding="utf-8")
    page.goto(url + "/screenings/")
    page.select_option("#id_office", office)
    page.set_input_files("#id_file", str(path))
    page.click("#upload button[type=submit]")
    page.click("#confirm-columns")  # the columns' preview (issue 8): as recognised
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=180_000)


def line_page(page, url: str, record: str, office: str) -> None:
    page.goto(url + f"/register/?office={office}&q={record}")
    page.locator("#register-table tbody a").first.click()
    page.wait_for_url("**/register/lines/*/")


def register_text(page, url: str) -> str:
    page.goto(url + "/register/?office=uk")
    return page.locator("#register-table").inner_text()


def test_january_then_february_export_keeps_both_months(server, browser, tmp_path):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "admin")
    upload(page, url, tmp_path / "january", JANUARY, "uk")
    upload(page, url, tmp_path / "february", FEBRUARY, "uk")
    table = register_text(page, url)
    for description in ("catering services staff canteen", "office cleaning services", "printing paper"):
        assert description in table
    assert "catering services conference lunch" in table
    page.goto(url + "/screenings/")
    listing = page.locator("table").inner_text()
    assert "January 2025" in listing and "February 2025" in listing
    assert len(re.findall(r"export\.csv", listing)) == 2


def test_a_february_decision_is_carried_over_in_march_and_stale_when_row_2_changed(
    server,  # noqa: F811
    browser,  # noqa: F811
    tmp_path,
):
    from playwright.sync_api import expect

    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "admin")
    upload(page, url, tmp_path / "february", FEBRUARY, "tj")
    line_page(page, url, "T-4", "tj")
    expect(page.locator("h1")).to_contain_text("catering services conference lunch")
    page.select_option("#id_level", "low")
    page.fill("#id_justification", "Catering supplier audited in February: wages and contributions paid.")
    page.click("#decision button[type=submit]")
    expect(page.locator("#level-now")).to_have_text("low")

    upload(page, url, tmp_path / "march", MARCH_UNCHANGED, "tj")  # row 2: the same purchase
    line_page(page, url, "T-4", "tj")
    expect(page.locator("#level-now")).to_have_text("low")
    expect(page.locator('#decisions tr[data-state="in_force"]')).to_contain_text("carried over")
    expect(page.locator("#stale-decision")).to_have_count(0)

    upload(page, url, tmp_path / "march-corrected", MARCH_CHANGED, "tj")  # row 2: another purchase, same T-4
    line_page(page, url, "T-4", "tj")
    expect(page.locator("h1")).to_contain_text("security guarding night shifts")
    expect(page.locator("#stale-decision")).to_contain_text("Fresh Catering Ltd")
    expect(page.locator('#decisions tr[data-state="stale"]')).to_contain_text(
        "catering services conference lunch"
    )
    assert page.locator("#level-now").inner_text() != "low"  # the decision is not applied to the new content
    page.goto(url + "/register/?office=tj&decision=stale")
    expect(page.locator("#register-table tbody")).to_contain_text("security guarding night shifts")
    expect(page.locator("#register-table tbody")).to_contain_text("⚠")

    page.goto(url + "/audit/?action=risk")
    audit = page.locator("#audit")
    expect(audit).to_contain_text('Fresh Catering Ltd: "catering services conference lunch", 1,250.00 EUR')
    expect(audit).to_contain_text("risk.carried_over")
