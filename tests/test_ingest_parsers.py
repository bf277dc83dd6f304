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
