"""Keyset pages of the register: every line once, in order, forward and back, ties and missing values included."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fairprocure.web.register import paging
from fairprocure.web.register.models import Line
from fairprocure.web.screenings.models import Screening
from web.workspace_helpers import office, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(monkeypatch):
    """97 current lines whose sort keys tie in every way (and a superseded one), in pages of 7."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 7)
    where = office("A")
    screening = Screening.objects.create(
        office=where, file_name="x.csv", sha256="x", stored_path="-", uploaded_by="t", status="done"
    )
    rows = [
        Line(
            office=where,
            screening=screening,
            line_id=f"L{i}",
            current=i != 96,
            risk_level="high" if i % 3 else "low",
            level_in_force="high" if i % 3 else "low",
            effective_priority=float(i % 3),
            risk_score=float(i % 2),
            value_eur=None if i % 4 == 0 else float(i % 5),
            date=None if i % 5 == 0 else dt.date(2025, 1, 1 + i % 3),
            supplier_name=f"Supplier {i % 4}",
        )
        for i in range(98)
    ]
    Line.objects.bulk_create(rows)
    return Line.objects.filter(current=True)


def walk(lines, sort: str) -> list[int]:
    """Follow the "Next" links from the first page; every page's lines' ids."""
    seen, params = [], {}
    while True:
        page = paging.page_of(lines, sort, params)
        seen += [line.pk for line in page]
        if not page.next_query:
            return seen
        params = dict(part.split("=", 1) for part in page.next_query.split("&"))


@pytest.mark.parametrize("sort", list(paging.KEYS))
def test_following_next_shows_every_line_once_in_the_order_of_the_sort(lines, sort):
    expected = list(lines.order_by(*paging.order(sort)).values_list("pk", flat=True))
    assert len(expected) == 97  # the superseded version is not in the register
    assert walk(lines, sort) == expected


@pytest.mark.parametrize("sort", list(paging.KEYS))
def test_previous_goes_back_through_the_same_pages_and_typed_numbers_agree(lines, sort):
    pages, params = [], {}
    while True:
        page = paging.page_of(lines, sort, params)
        pages.append([line.pk for line in page])
        assert [line.pk for line in paging.page_of(lines, sort, {"page": str(page.number)})] == pages[-1]
        if not page.next_query:
            break
        params = dict(part.split("=", 1) for part in page.next_query.split("&"))
    assert len(pages) == 14 and page.number == 14
    back = page
    for number in range(13, 0, -1):
        params = dict(part.split("=", 1) for part in back.previous_query.split("&") if part)
        back = paging.page_of(lines, sort, params)
        assert back.number == number
        assert [line.pk for line in back] == pages[number - 1]
    assert back.previous_query is None


def test_a_token_that_is_not_a_key_shows_the_first_page(lines):
    first = [line.pk for line in paging.page_of(lines, "priority", {})]
    for token in ("garbage", "WyJhIiwxXQ", paging.key_of(lines.first(), "date")):
        assert [line.pk for line in paging.page_of(lines, "priority", {"after": token})] == first


def test_the_register_pages_on_and_counts_from_the_statistics(lines, client):
    from fairprocure.web.dashboard.stats import refresh_office

    refresh_office(lines.first().office)
    client.force_login(user("boss", "management"))
    url, seen = "/register/?level=high", []
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r'href="/register/lines/(\d+)/"', page)
        assert "65 lines" in page  # two of every three current lines are high
        found = re.search(r'<a href="(\?[^"]*)" rel="next">', page)
        url = "/register/" + found.group(1).replace("&amp;", "&") if found else None
    high = lines.filter(level_in_force="high")
    assert sorted(map(int, seen)) == sorted(high.values_list("pk", flat=True))
    assert len(seen) == 65
    searched = client.get("/register/?q=Supplier").content.decode()
    assert " lines" not in searched.split("Page 1")[1].split("</nav>")[0]  # a search is not counted


@pytest.mark.parametrize("sort", ["priority", "value", "supplier"])
def test_the_api_pages_on_through_its_link_header(lines, client, sort):
    client.force_login(user("boss", "management"))
    expected = list(lines.order_by(*paging.order(sort)).values_list("pk", flat=True))
    url, seen, pages = f"/api/lines?limit=10&sort={sort}", [], 0
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        seen += [line["id"] for line in answer.json()]
        pages += 1
        found = re.fullmatch(r'<(/api/lines\?[^>]*)>; rel="next"', answer.headers.get("Link", ""))
        url = found.group(1) if found else None
        if url:
            assert "after=" in url and f"sort={sort}" in url
    assert seen == expected and pages == 10  # 97 lines, 10 a page: the last has 7 and no link
    by_offset = client.get(f"/api/lines?limit=10&offset=40&sort={sort}").json()
    assert [line["id"] for line in by_offset] == expected[40:50]
