"""Resolve any spelling or code of a country to its ISO 3166-1 alpha-3 code.

Resolution order, each step using maintained data, never a hand-written name table:

1. ISO codes (alpha-2, alpha-3, numeric) via ``pycountry``;
2. English names and their variants ("Kyrgyz Republic", "Congo, Democratic Republic of the",
   "Great Britain", "UK") via ``pycountry`` lookups and ``country_converter``'s regular expressions;
3. names in other languages ("Deutschland", "Россия", "Allemagne") via the CLDR territory names
   that ``babel`` ships.

Results are cached per distinct raw value, so calling this on millions of repeated values is cheap.
Unknown values give ``None``: downstream, an unknown country is a risk factor, never an error.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import pycountry

# World Bank / WGI codes that neither pycountry nor country_converter know (legacy or user-assigned
# codes). Kosovo has no ISO code; XKX is the user-assigned code most data sets use.
_CODE_ALIASES = {
    "KSV": "XKX",
    "KOS": "XKX",  # the IOC's code, used by the TIP series shipped here
    "XKX": "XKX",
    "XK": "XKX",
    "ROM": "ROU",
    "ZAR": "COD",
    "ADO": "AND",
    "TMP": "TLS",
    "WBG": "PSE",  # the World Bank's code for West Bank and Gaza
}

# Languages whose CLDR territory names are indexed (the OSCE region and major trade languages).
_LANGUAGES = [
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "ro",
    "ru",
    "uk",
    "be",
    "bg",
    "cs",
    "sk",
    "sl",
    "hr",
    "sr",
    "bs",
    "mk",
    "sq",
    "el",
    "tr",
    "hu",
    "et",
    "lv",
    "lt",
    "fi",
    "sv",
    "da",
    "nb",
    "is",
    "ga",
    "mt",
    "ka",
    "hy",
    "az",
    "kk",
    "ky",
    "tg",
    "tk",
    "uz",
    "mn",
    "zh",
    "ar",
]


def _key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


@cache
def valid_iso3() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code pycountry knows, plus Kosovo's XKX."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


@cache
def _converter():
    """country_converter's converter, loaded once, with its warnings silenced.

    The country table is read here with ``keep_default_na=False`` so that Namibia's ISO2 code "NA" stays
    a string (country_converter's own loader turns it into a missing value under pandas 3).
    """
    import country_converter as coco
    import pandas as pd

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    table = Path(coco.__file__).with_name("country_data.tsv")
    data = pd.read_csv(table, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=data)


@cache
def _localised_names() -> dict[str, str]:
    """Map the key of every CLDR territory name (in ``_LANGUAGES``) to its alpha-3 code."""
    from babel import Locale

    index: dict[str, str] = {}
    for language in _LANGUAGES:
        try:
            territories = Locale.parse(language).territories
        except (ValueError, LookupError):
            continue
        for alpha_2, name in territories.items():
            country = pycountry.countries.get(alpha_2=alpha_2) if alpha_2.isalpha() else None
            iso3 = country.alpha_3 if country else ("XKX" if alpha_2 == "XK" else None)
            if iso3:
                index.setdefault(_key(name), iso3)
    return index


def _from_code(text: str) -> str | None:
    upper = text.upper()
    if upper in _CODE_ALIASES:
        return _CODE_ALIASES[upper]
    if text.isdigit() and len(text) <= 3:
        country = pycountry.countries.get(numeric=text.zfill(3))
    elif len(text) == 2 and text.isalpha():
        country = pycountry.countries.get(alpha_2=upper)
    elif len(text) == 3 and text.isalpha():
        country = pycountry.countries.get(alpha_3=upper)
    else:
        return None
    return country.alpha_3 if country else None


def _from_english_name(text: str) -> str | None:
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    result = _converter().convert(text, to="ISO3", not_found=None)
    if isinstance(result, list):  # several matches: ambiguous, so unknown
        return None
    return result if result in valid_iso3() else None


def load_names() -> None:
    """Load the name tables now (``country_converter``'s and the CLDR names, about 0.9 s), for a process
    that forks the ones that will need them."""
    to_iso3("Germany")  # pycountry's index
    _converter()
    _localised_names()


def code_or_name(code: str, name: str) -> str | None:
    """A reference row's country: by its code, else by its name. A code of a country that no longer
    exists (ISO 3166-3: ANT, the Netherlands Antilles) has no current country and its name has none
    either, so the name is not looked up (that would load the name tables for nothing)."""
    code = code.strip()
    iso3 = _from_code(code)
    if iso3 or (len(code) == 3 and pycountry.historic_countries.get(alpha_3=code.upper())):
        return iso3
    return to_iso3(code) or to_iso3(name)


@lru_cache(maxsize=65536)
def to_iso3(value: object) -> str | None:
    """ISO alpha-3 code of a country given by any code or name, or None if it cannot be resolved.

    >>> to_iso3("Kyrgyz Republic"), to_iso3("ROM"), to_iso3("Deutschland"), to_iso3("Atlantis")
    ('KGZ', 'ROU', 'DEU', None)
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    return _from_code(text) or _from_english_name(text) or _localised_names().get(_key(text))
