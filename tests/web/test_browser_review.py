"""The review queue in a real browser, against ``fairprocure serve`` with the shipped text model.

"service support" is what the model is not sure about (needs review: maintenance 50 %, health care
19 %, ...). One decision in the queue — this description is IT services — re-categorises every line
that says it, whatever the spelling or supplier, and the next screening of the office brings the same
lines and a new one already decided. Headless Debian chromium driven by Playwright.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from web.test_browser import CHROMIUM, SHOTS, browser, log_in, server  # noqa: F401  (fixtures)
from web.test_browser_lines import upload

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
]

HEADER = "Supplier,Description,Amount,Currency,Date\n"
JANUARY = HEADER + (
    "Acme Services,service support,1000,EUR,2025-01-10\n"
    "Acme Services,Service  Support,500,EUR,2025-01-11\n"
    "Beta Ltd,SERVICE SUPPORT,2000,EUR,2025-01-12\n"
    "Clean Co,office cleaning services,800,EUR,2025-01-13\n"
)
# The same January lines screened again, and a new month's line from a supplier never seen before
AGAIN = JANUARY + "Gamma Systems,service support,700,EUR,2025-02-03\n"
DECIDED = "it_services"


def decided_support_lines(page, url: str) -> list[str]:
    """The register's current 'service support' lines of office uk filed under the decided category."""
    page.goto(url + f"/register/?office=uk&category={DECIDED}&q=support")
    rows = page.locator("#register-table tbody tr")
    return [t for t in rows.all_inner_texts() if "support" in t.lower()]


def test_one_decision_re_categorises_every_matching_line_and_survives_a_re_screening(
    server,  # noqa: F811
    browser,  # noqa: F811
    tmp_path,
):
    from playwright.sync_api import expect

    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "admin")
    upload(page, url, tmp_path / "january", JANUARY, "uk")

    page.goto(url + "/review/?office=uk")
    row = page.locator('#review-queue tr[data-key="service support"]')
    expect(row).to_contain_text("3")  # three lines, two spellings, two suppliers: one row
    expect(row.locator(".candidates li").first).to_contain_text("%")
    expect(page.locator("#review-queue")).not_to_contain_text("office cleaning services")  # sure: not asked
    assert decided_support_lines(page, url) == []

    page.goto(url + "/review/?office=uk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-queue.png"), full_page=True)
    row = page.locator('#review-queue tr[data-key="service support"]')
    row.locator("select[name=category]").select_option(DECIDED)
    row.locator("input[name=note]").fill("IT helpdesk contract")
    row.locator("button[type=submit]").click()
    expect(page.locator("p.message.success")).to_contain_text("lines classified: 3")
    expect(page.locator('#review-queue tr[data-key="service support"]')).to_have_count(0)
    assert len(decided_support_lines(page, url)) == 3

    # The line says who decided, and why, and is no longer "needs review"
    page.locator("#register-table tbody a").first.click()
    page.wait_for_url("**/register/lines/*/")
    expect(page.locator("#classification-evidence")).to_contain_text("decided by a person")
    expect(page.locator("#classification-evidence")).to_contain_text("IT helpdesk contract")

    # Screen the office again: the same lines and a new one come in decided
    upload(page, url, tmp_path / "again", AGAIN, "uk")
    lines = decided_support_lines(page, url)
    assert len(lines) == 4 and any("Gamma Systems" in t for t in lines), lines
    page.goto(url + "/review/?office=uk")
    expect(page.locator('#review-queue tr[data-key="service support"]')).to_have_count(0)

    page.goto(url + "/audit/?action=classification")
    expect(page.locator("#audit")).to_contain_text("'service support' → IT services")
    expect(page.locator("#audit")).to_contain_text("for office uk")

    page.goto(url + "/review/decisions/?office=uk")
    expect(page.locator('#decisions tr[data-state="in_force"]')).to_contain_text("service support")
