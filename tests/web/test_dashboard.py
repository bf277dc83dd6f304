"""The dashboard: heat map, likelihood × severity, top contracts, spend and change since last time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.workspace_helpers import office, register_table, screen_into, user

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_high_risk_lines_per_office_and_category(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)  # lines 0 and 3 high
    screen_into(office("B"), register_table(9, prefix="B"), monkeypatch)  # lines 0, 3, 6 high
    client.force_login(user("boss", "management"))
    data = client.get("/api/dashboard", headers={}).json()
    assert data["heat"]["Garments and textiles"] == {"A": 2, "B": 3}
    assert data["lines"] == 15 and data["high_or_critical"] == 5
    assert data["matrix"]["80–100"]["forced_labour"] == 5
    assert data["spend_known_origin_eur"] == sum(1000.0 * (i + 1) for i in (0, 3)) + sum(
        1000.0 * (i + 1) for i in (0, 3, 6)
    )
    assert [line["line_id"] for line in data["top"]][:2] == ["B0", "L0"]  # highest priority first


def test_change_since_the_previous_screening(client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch, name="january.csv")
    screen_into(a, register_table(7), monkeypatch, name="february.csv")
    client.force_login(user("buyer", "procurement_officer", "A"))
    page = client.get("/dashboard/?office=A").content.decode()
    assert "february.csv" in page and "(+4)" in page and "+2</span>)" in page and "22,000" in page


def test_the_anonymous_home_page_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/login/")


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/lines/{pk}/decisions" in schema["paths"] and schema["info"]["title"].startswith(
        "fairprocure"
    )


def test_russian_pages_are_translated(client, monkeypatch):
    office("A")
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/", headers={"Accept-Language": "ru"}).content.decode()
    assert "Панель" in page and "Dashboard</a>" not in page


def test_every_message_has_a_russian_translation():
    po = Path(__file__).resolve().parents[2] / "src/fairprocure/web/locale/ru/LC_MESSAGES/django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # the first entry is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$', e, re.M) or "#, fuzzy" in e]
    assert untranslated == []
