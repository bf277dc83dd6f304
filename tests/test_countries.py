import subprocess
import sys

import pytest

from fairprocure.reference.countries import code_or_name, to_iso3


@pytest.mark.parametrize(
    ("raw", "iso3"),
    [("Kyrgyz Republic", "KGZ"), ("Turkey (Türkiye)", "TUR"), ("Congo, Democratic Republic of the", "COD"),
     ("ROM", "ROU"), ("ZAR", "COD"), ("KSV", "XKX"), ("KOS", "XKX"), ("DE", "DEU"), ("276", "DEU"), ("Deutschland", "DEU"),
     ("Россия", "RUS"), ("Moldova, Republic of", "MDA"), ("UK", "GBR"), ("Great Britain", "GBR"),
     ("NA", "NAM"), ("WBG", "PSE")],
)  # fmt: skip
def test_spellings_and_codes(raw, iso3):
    assert to_iso3(raw) == iso3


def test_unknown_is_none():
    assert to_iso3("Atlantis") is None and to_iso3("") is None


def test_a_row_by_code_or_name():
    assert code_or_name("WBG", "West Bank and Gaza") == "PSE"
    assert code_or_name("", "Kyrgyz Republic") == "KGZ"
    assert code_or_name("XYZ", "Deutschland") == "DEU"  # an unknown code: the name decides
    assert code_or_name("ANT", "Netherlands Antilles (former)") is None  # ISO 3166-3: no longer a country


def _name_tables_loaded_after(statements: str) -> list[str]:
    """Whether ``country_converter``'s table and the CLDR names are loaded ("1") or not ("0") after
    ``statements``, run in a process of their own (the tables are cached for the process)."""
    script = (
        f"{statements}\n"
        "from fairprocure.reference import countries\n"
        "print(countries._converter.cache_info().currsize, countries._localised_names.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_shipped_tiers_and_governance_scores_need_no_name_tables():
    """Their rows all resolve by code: the name tables (about 0.9 s) are not loaded for them."""
    loaded = _name_tables_loaded_after(
        "from fairprocure.reference import tip, wgi\n"
        "assert len(wgi.governance_by_country()) == 213 and len(tip.shipped_tiers()) == 186"
    )
    assert loaded == ["0", "0"]


def test_the_screening_processes_fork_server_loads_the_name_tables():
    """The web workspace forks every screening from a process that imported ``web.screenings.warm``: the
    name tables a ledger's column profile asks for are loaded there once, not in each screening."""
    assert _name_tables_loaded_after("import fairprocure.web.screenings.warm") == ["1", "1"]
