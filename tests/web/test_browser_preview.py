"""The upload preview in a real browser (issue 8): a workbook with a title block is uploaded, its
columns shown as recognised, one corrected by a person, screened; next month's export with the same
columns is read the same way. Headless Debian chromium driven by Playwright against ``fairprocure serve``."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.test_browser import CHROMIUM, SHOTS, browser, cli, log_in, server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install -y chromium"
    ),
]

HEADER = ["Дата", "Контрагент", "Сумма", "Назначение платежа", "Объект", "Ответственный"]
ROWS = [
    ["15.01.2025", "ООО «Чистый дом»", 12500.0, "Уборка помещений за январь", "Школа № 5", "Иванова А."],
    ["16.01.2025", 'ООО "Охрана-Плюс"', 30000.0, "Охрана здания", "Администрация", "Петров Б."],
    ["20.01.2025", "ИП Саидов", 4200.5, "Питание участников семинара", "Школа № 5", "Иванова А."],
]


def workbook(path: Path, month: str) -> Path:
    import xlsxwriter

    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Платежи")
        sheet.write(0, 0, f"Реестр платежей за {month} 2025 г.")
        sheet.write(1, 0, "Организация: офис в Душанбе")
        sheet.write_row(3, 0, HEADER)
        for r, row in enumerate(ROWS, start=4):
            sheet.write_row(
                r, 0, [c.replace(".01.", f".{month[:2]}.") if isinstance(c, str) else c for c in row]
            )
    return path


def test_a_person_corrects_a_column_before_screening_and_the_office_remembers_it(server, browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    url, _ = server
    page = browser.new_page()
    log_in(page, url, "admin")
    page.goto(url + "/screenings/")
    page.select_option("#id_office", "tj")
    page.set_input_files("#id_file", str(workbook(tmp_path / "january.xlsx", "01 январь")))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/preview/")
    expect(page.locator("#layout")).to_contain_text("row 4")  # the title rows are skipped
    expect(page.locator("#layout")).to_contain_text("TJS")  # the office's currency for amounts without one
    supplier = page.locator('tr[data-column="Контрагент"] select')
    expect(supplier).to_have_value("supplier_name")
    expect(page.locator('tr[data-column="Сумма"] select')).to_have_value("value")
    expect(page.locator("#first-lines")).to_contain_text("ООО «Чистый дом»")
    # the site the money was spent for is the office here, not part of what was bought
    page.locator('tr[data-column="Объект"] select').select_option("office")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload-preview.png"), full_page=True)
    page.click("#confirm-columns")
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=180_000)
    expect(page.locator("#status")).to_contain_text("3 lines screened")

    page.goto(url + "/screenings/")
    page.select_option("#id_office", "tj")
    page.set_input_files("#id_file", str(workbook(tmp_path / "february.xlsx", "02 февраль")))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/preview/")
    expect(page.locator("#remembered")).to_contain_text("january.xlsx")
    expect(page.locator('tr[data-column="Объект"] select')).to_have_value("office")
    page.click("#confirm-columns")
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=180_000)
    page.close()
