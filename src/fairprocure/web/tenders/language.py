"""The language a tender's documents go out in: the office's, among the workspace's languages."""

from __future__ import annotations

from babel.languages import get_territory_language_info

from fairprocure.reference.countries import to_iso3

SHARE = 10.0  # per cent of the population speaking it


def office_language(country: str) -> str:
    """``ru`` where CLDR gives Russian official status or at least 10% of speakers in the office's
    country (Tajikistan, Kazakhstan, Kyrgyzstan, Uzbekistan, ...), else ``en``; a dossier may change it."""
    import pycountry

    iso3 = to_iso3(country) or country
    found = pycountry.countries.get(alpha_3=iso3)
    if found is None:
        return "en"
    info = get_territory_language_info(found.alpha_2).get("ru")
    if info and (info.get("official_status") or (info.get("population_percent") or 0) >= SHARE):
        return "ru"
    return "en"
