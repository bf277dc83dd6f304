"""The register's CSV and XLSX exports open in a spreadsheet without running anything from the data."""

from __future__ import annotations

import csv
import io

import openpyxl
import pyarrow as pa
import pytest

from fairprocure.spreadsheet import formula_like
from web.workspace_helpers import office, register_table, screen_into, user

pytestmark = pytest.mark.django_db

SUPPLIER = '=HYPERLINK("http://evil.example/","Click")'
DESCRIPTION = "=cmd|' /C calc'!A0"
CONTRACT = "@SUM(A1)"


def _hostile_table() -> pa.Table:
    rows = register_table(3).to_pylist()
    rows[0] |= {"supplier_name": SUPPLIER, "description": DESCRIPTION, "contract_id": CONTRACT}
    rows[1] |= {"value": -1200.5, "value_eur": -1200.5, "supplier_name": "+1 Trading", "description": "-5 kg"}
    return pa.Table.from_pylist(rows, schema=register_table(1).schema)


@pytest.fixture
def logged_in(client, monkeypatch):
    screen_into(office("A"), _hostile_table(), monkeypatch)
    client.force_login(user("boss", "management"))
    return client


def _number(text: str) -> bool:
    """A spreadsheet reads ``-1200.5`` as a number, which is what it is."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_export_neutralises_formula_text_and_keeps_numbers(logged_in):
    response = logged_in.get("/register/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert all(not formula_like(v) or _number(v) for row in rows for v in row.values() if v)
    by_supplier = {r["supplier_name"]: r for r in rows}
    first = by_supplier["'" + SUPPLIER]
    assert first["description"] == "'" + DESCRIPTION and first["contract_id"] == "'" + CONTRACT
    second = by_supplier["'+1 Trading"]
    assert second["description"] == "'-5 kg"
    assert second["value"] == "-1200.5" and second["value_eur"] == "-1200.5"  # numbers stay numbers


def test_xlsx_export_writes_text_never_formulas(logged_in):
    response = logged_in.get("/register/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    cells = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        cells[row[header.index("supplier_name")].value] = {h: c for h, c in zip(header, row, strict=True)}
    first = cells[SUPPLIER]
    for name, text in (("supplier_name", SUPPLIER), ("description", DESCRIPTION), ("contract_id", CONTRACT)):
        assert first[name].value == text and first[name].data_type == "s" and first[name].quotePrefix
    assert cells["+1 Trading"]["value"].value == -1200.5 and cells["+1 Trading"]["value"].data_type == "n"


def test_an_export_in_the_background_gives_the_same_file_to_its_requester_only(logged_in, client):
    from fairprocure.web.register.exports import run_pending

    inline = b"".join(logged_in.get("/register/export.csv?office=A&level=high").streaming_content)
    asked = logged_in.post("/register/exports/", {"fmt": "csv", "query": "office=A&level=high"})
    assert asked.status_code == 302
    page_url = asked["Location"]
    assert 'data-status="queued"' in logged_in.get(page_url).content.decode()
    assert run_pending() == 1
    page = logged_in.get(page_url).content.decode()
    assert 'data-status="done"' in page and "1 line" in page  # one of the three lines is high
    download = logged_in.get(page_url + "file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == inline  # the same lines, safe cells and order
    xlsx = logged_in.post("/register/exports/", {"fmt": "xlsx", "query": ""})
    run_pending()
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(logged_in.get(xlsx["Location"] + "file").streaming_content))
    )
    assert sheet.active.max_row == 4  # the header and the three lines
    client.force_login(user("other", "management"))
    assert client.get(page_url).status_code == 404 and client.get(page_url + "file").status_code == 404


def test_an_export_is_deleted_a_day_after_it_ended(logged_in):
    import datetime as dt

    from django.utils import timezone

    from fairprocure.web.register.exports import expire, path_of, run_pending
    from fairprocure.web.register.models import Export

    logged_in.post("/register/exports/", {"fmt": "csv", "query": ""})
    run_pending()
    job = Export.objects.get()
    assert path_of(job).exists() and expire() == 0  # a fresh one stays
    Export.objects.update(finished=timezone.now() - dt.timedelta(days=1, minutes=1))
    assert expire() == 1
    assert not path_of(job).exists() and not Export.objects.exists()
