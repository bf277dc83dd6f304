"""The upload preview (issue 8): how a ledger's columns are read, corrected by a person, remembered for
the office's next export; the office's currency and country where the file gives none."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.offices.models import LedgerMapping
from fairprocure.web.register.models import Line
from fairprocure.web.screenings.jobs import run_pending
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.uploads import accept
from web.workspace_helpers import library_engine, office, user

pytestmark = pytest.mark.django_db

LEDGER = (
    "Service Area,Cost Centre,Paid Date,Payee,Amount,Expense Type\n"
    "Housing,CC-101,03/01/2025,ACME CLEANING LTD,1200.50,Office cleaning\n"
    "Housing,CC-101,04/01/2025,Guard Force Ltd,800.00,Security guarding\n"
    "Parks,CC-205,05/01/2025,Green Spaces Ltd,450.25,Grounds maintenance\n"
)


def _named(data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _upload(client, code: str, data: bytes, name: str):
    return client.post("/screenings/", {"office": code, "file": _named(data, name)})


def test_a_ledger_upload_waits_in_a_preview_a_person_corrects_and_the_office_remembers(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    response = _upload(client, "UK", LEDGER.encode(), "january.csv")
    screening = Screening.objects.get()
    assert screening.status == "held" and response["Location"] == f"/screenings/{screening.pk}/preview/"
    page = client.get(response["Location"]).content.decode()
    assert (
        'data-column="Payee"' in page and "ACME CLEANING LTD" in page and "Screen with these columns" in page
    )
    assert "GBP, the office" in page  # amounts without a currency: the office's
    # every column was recognised; the person says the service area is the office, not the cost centre
    form = {"column-0": "office", "column-1": ""}
    response = client.post(f"/screenings/{screening.pk}/preview/", form)
    assert response["Location"] == f"/screenings/{screening.pk}/"
    screening.refresh_from_db()
    assert screening.status == "queued"
    kept = LedgerMapping.objects.get(office__code="UK")
    assert kept.mapping["columns"]["office"] == "Service Area" and "Cost Centre" in kept.mapping["unused"]
    assert kept.mapping["columns"]["supplier_name"] == "Payee"
    event = AuditEvent.objects.get(action="screening.columns_confirmed")
    assert "Service Area" in json.dumps(event.details) and "Cost Centre" in json.dumps(event.details)
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "done", screening.message
    lines = list(Line.objects.filter(screening=screening).order_by("source_record"))
    assert [line.office_name for line in lines] == ["Housing", "Housing", "Parks"]
    assert lines[0].description == "Office cleaning"
    assert {line.currency for line in lines} == {"GBP"} and all(line.value_eur for line in lines)
    assert {line.delivery_country for line in lines} == {"GBR"}
    assert "assumed GBP" in lines[0].data_issues

    # February's export, same columns, through the API path (no preview): read the same way
    february = LEDGER.replace("/01/2025", "/02/2025").encode()
    again, _ = accept(io.BytesIO(february), "february.csv", screening.office, "api")
    run_pending()
    again.refresh_from_db()
    assert again.status == "done"
    assert set(Line.objects.filter(screening=again).values_list("office_name", flat=True)) == {
        "Housing",
        "Parks",
    }
    # and through the page, the preview starts from the remembered mapping
    response = _upload(client, "UK", LEDGER.replace("/01/2025", "/03/2025").encode(), "march.csv")
    page = client.get(response["Location"]).content.decode()
    assert "Read as confirmed on january.csv by buyer" in page


def test_a_file_with_nothing_recognised_can_be_mapped_by_hand(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    data = b"A,B,C\nx1,alpha,10\nx2,beta,20\nx3,gamma,30\n"
    response = _upload(client, "UK", data, "odd.csv")
    page = client.get(response["Location"]).content.decode()
    screening = Screening.objects.get()
    form = {"column-1": "supplier_name", "column-2": "value", "column-0": ""}
    client.post(f"/screenings/{screening.pk}/preview/", form)
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "done", (screening.message, page)
    assert sorted(Line.objects.values_list("supplier_name", flat=True)) == ["alpha", "beta", "gamma"]


def test_a_file_that_gives_no_line_fails_saying_why(client, monkeypatch):
    library_engine(monkeypatch)
    a = office("UK", "GBR")
    screening, _ = accept(io.BytesIO(b"Notes\nnothing here\n"), "notes.csv", a, "test")
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "failed"
    assert "nothing in it can be screened" in screening.message and "preview" in screening.message
    assert "/" not in screening.message.split("notes.csv")[0]  # no server paths


def test_an_office_has_its_country_s_currency_unless_it_says_another(monkeypatch):
    from fairprocure.web.offices.services import add_office

    assert office("AT", "AUT").accounts_currency == "EUR"
    assert office("KG", "Kyrgyzstan").accounts_currency == "KGS"
    assert add_office("UN", "UN office", "CHE", actor="test", currency="usd").accounts_currency == "USD"
    with pytest.raises(ValueError, match="unknown currency"):
        add_office("XX", "X", "CHE", actor="test", currency="pounds")


def test_only_uploaders_of_the_office_see_and_confirm_its_preview(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    office("FR", "FRA")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    response = _upload(client, "UK", LEDGER.encode(), "january.csv")
    url = response["Location"]
    client.force_login(user("other", "procurement_officer", "FR"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"column-0": "office"}).status_code == 403
    client.force_login(user("boss", "management"))
    assert client.get(url).status_code == 403
    assert Screening.objects.get().status == "held"
    assert Path(Screening.objects.get().stored_path).exists()


def test_the_preview_is_in_russian_for_a_russian_reader(client, monkeypatch):
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    response = _upload(client, "UK", LEDGER.encode(), "january.csv")
    page = client.get(response["Location"], headers={"Accept-Language": "ru"}).content.decode()
    assert "Проверить с этими столбцами" in page and "поставщик" in page and "Примеры значений" in page
    assert "Screen with these columns" not in page


def test_json_records_are_previewed_like_a_ledger(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    records = [
        {
            "payee": {"name": "ACME CLEANING LTD"},
            "amount": 1200.5,
            "paidOn": "2025-01-03",
            "purpose": "Office cleaning",
        },
        {
            "payee": {"name": "Guard Force Ltd"},
            "amount": 800,
            "paidOn": "2025-01-04",
            "purpose": "Security guarding",
        },
    ]
    response = _upload(client, "UK", json.dumps({"data": records}).encode(), "january.json")
    screening = Screening.objects.get()
    assert screening.status == "held" and response["Location"] == f"/screenings/{screening.pk}/preview/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-column="payee.name"' in page and "ACME CLEANING LTD" in page


def test_an_ocds_upload_is_queued_without_a_preview(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    release = {
        "ocid": "ocds-x-1",
        "id": "1",
        "date": "2025-01-01",
        "tag": ["tender"],
        "tender": {"title": "Gloves"},
    }
    response = _upload(client, "UK", json.dumps({"releases": [release]}).encode(), "releases.json")
    screening = Screening.objects.get()
    assert screening.status == "queued" and response["Location"] == f"/screenings/{screening.pk}/"


def _as_shown(page: str) -> dict[str, str]:
    """The form a browser posts when the person confirms without changing anything: every column's
    selected option (the first option where none is marked selected, as browsers do)."""
    import re

    form = {}
    for name, options in re.findall(r'<select name="(column-\d+)"[^>]*>(.*?)</select>', page, flags=re.S):
        values = re.findall(r'<option value="([^"]*)"( selected)?', options)
        form[name] = next((value for value, chosen in values if chosen), values[0][0])
    return form


def test_every_recognised_field_is_offered_so_confirming_keeps_a_cpv_column(client, monkeypatch):
    library_engine(monkeypatch)
    office("UK", "GBR")
    client.force_login(user("buyer", "procurement_officer", "UK"))
    plain = "Transaction number,Supplier,Description,Amount,Currency,Date\nT-1,Clean Co,office cleaning,800,EUR,2025-01-15\n"
    response = _upload(client, "UK", plain.encode(), "export.csv")  # January: the office's mapping
    client.post(response["Location"], _as_shown(client.get(response["Location"]).content.decode()))
    run_pending()
    assert LedgerMapping.objects.filter(office__code="UK").exists()

    grown = (  # February's export gained a CPV column and a scheme column
        "Transaction number,Supplier,Description,Amount,Currency,Date,CPV,Scheme\n"
        "T-2,Dhaka Garments Ltd,cotton uniforms for guards,9000,EUR,2025-02-10,18100000,CPV\n"
    )
    response = _upload(client, "UK", grown.encode(), "export.csv")
    page = client.get(response["Location"]).content.decode()
    assert "Read as confirmed on" not in page  # the remembered mapping does not name the new columns
    form = _as_shown(page)
    assert form["column-6"] == "cpv"
    client.post(response["Location"], form)
    run_pending()
    line = Line.objects.get(record_id="T-2")
    assert line.cpv == "18100000" and line.cpv_source == "source", (line.cpv, line.cpv_source)
