import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fairprocure.ingest.parsers import parse_amount, parse_date


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_amount_round_trips_in_european_and_english_formats(whole, cents):
    expected = whole + cents / 100
    english = f"{whole:,}.{cents:02d}"
    european = english.replace(",", " ").replace(".", ",")
    assert abs(parse_amount(english)[0] - expected) < 1e-6
    assert abs(parse_amount(european)[0] - expected) < 1e-6
    assert abs(parse_amount(f"({english})")[0] + expected) < 1e-6


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_dates_in_common_formats(day):
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d.%m.%Y"), day.strftime("%Y%m%d")):
        assert parse_date(text) == day


def test_local_amounts_with_currency():
    assert parse_amount("€1,200.00") == (1200.0, "EUR")
    assert parse_amount("12 345 руб.") == (12345.0, "RUB")
    assert parse_amount("abc") == (None, None)


def test_month_names_of_the_regions_languages():
    from fairprocure.ingest.parsers import parse_date

    expected = {
        "3 janvier 2024": "2024-01-03",
        "3. Januar 2024": "2024-01-03",
        "3 января 2024 г.": "2024-01-03",
        "1 листопада 2023 р.": "2023-11-01",
        "3 de enero de 2024": "2024-01-03",
        "15 marca 2024": "2024-03-15",
        "2024. január 3.": "2024-01-03",
        "12 Haziran 2024": "2024-06-12",
        "3 mars 2024 10:22": "2024-03-03",
    }
    assert {text: str(parse_date(text)) for text in expected} == expected
    for not_a_date in ("Office cleaning 2024", "Lot 3 Mars 2024 bars", "March 2024 invoices 12"):
        assert parse_date(not_a_date) is None, not_a_date


def test_more_local_amount_forms():
    from fairprocure.ingest.parsers import parse_amount

    assert parse_amount("1\u2019234.50") == (1234.5, None)  # Swiss typographic apostrophe
    assert parse_amount("12.345,-") == (12345.0, None)  # whole euros, German style
    assert parse_amount("1 200,00 грн.") == (1200.0, "UAH")
    assert parse_amount("100 Ft") == (100.0, "HUF")
    assert parse_amount("1,000.00 CR") == (-1000.0, None)
