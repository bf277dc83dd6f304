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


def test_value_eur_of_a_block_is_each_line_at_its_own_rate_with_its_note():
    """The rates ``finish`` keeps by currency and day give each line what ``eur_rate`` says for it, in a
    first block and again in a second one (where some are known already), notes included."""
    import random

    import pyarrow as pa

    from fairprocure.ingest.finish import Issues, _value_eur

    rng = random.Random(7)
    currencies = ["USD", "EUR", "MDL", "XYZ", "GBP", None, "usd "]
    days = [None, dt.date(1995, 3, 1), dt.date(2024, 7, 1)]
    for block in range(2):
        if block:  # days before, between and after those known from the first block
            days += [dt.date(1990, 1, 1), dt.date(2024, 1, 2), dt.date(2031, 1, 1)]
        n = 400
        value = [rng.choice([None, 10.0, 1234.5]) for _ in range(n)]
        currency = [rng.choice(currencies) for _ in range(n)]
        date = [rng.choice(days) for _ in range(n)]
        issues = Issues("ledger.csv", [f"row {i}" for i in range(n)])
        columns = {
            "value": pa.array(value, pa.float64()),
            "currency": pa.array(currency, pa.string()),
            "date": pa.array(date, pa.date32()),
        }
        got = _value_eur(columns, n, issues).to_pylist()
        noted = {int(r): message for rows, message in issues.added for r in rows}
        for i in range(n):
            found = eur_rate(currency[i], date[i])
            rate = found[0] if found else None
            assert got[i] == (value[i] * rate if value[i] is not None and rate is not None else None)
            note = found[1] if found and value[i] is not None else None
            assert (noted[i]["text"] if i in noted else None) == (f"value_eur: {note}" if note else None)
