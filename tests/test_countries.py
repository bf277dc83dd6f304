import pytest

from fairprocure.reference.countries import to_iso3


@pytest.mark.parametrize(
    ("raw", "iso3"),
    [("Kyrgyz Republic", "KGZ"), ("Turkey (Türkiye)", "TUR"), ("Congo, Democratic Republic of the", "COD"),
     ("ROM", "ROU"), ("ZAR", "COD"), ("KSV", "XKX"), ("KOS", "XKX"), ("DE", "DEU"), ("276", "DEU"), ("Deutschland", "DEU"),
     ("Россия", "RUS"), ("Moldova, Republic of", "MDA"), ("UK", "GBR"), ("Great Britain", "GBR"),
     ("NA", "NAM")],
)  # fmt: skip
def test_spellings_and_codes(raw, iso3):
    assert to_iso3(raw) == iso3


def test_unknown_is_none():
    assert to_iso3("Atlantis") is None and to_iso3("") is None
