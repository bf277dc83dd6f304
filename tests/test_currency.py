import datetime as dt

from fairprocure.reference.currency import eur_rate, to_eur


def test_ecb_currency_uses_rate_of_the_date():
    jan, jul = to_eur(100, "USD", dt.date(2024, 1, 2)), to_eur(100, "USD", dt.date(2024, 7, 1))
    assert jan != jul and 80 < jan < 100


def test_non_ecb_currency_uses_world_bank_annual_average_with_note():
    rate, note = eur_rate("MDL", dt.date(2030, 5, 1))
    assert 0.02 < rate < 0.1 and "2023" in note and "annual" in note


def test_unknown_currency_gives_none():
    assert to_eur(100, "XYZ", dt.date(2024, 1, 2)) is None
