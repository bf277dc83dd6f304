"""Text normalisation for free-text procurement descriptions in any language or script.

``normalise(text)`` turns what an ERP export or a tender notice says into the form the classifiers
compare: Unicode NFKC, case-folded, transliterated to ASCII with ``anyascii`` (so Cyrillic, Greek and
Latin with diacritics meet in one alphabet and mixed-script homoglyphs such as a Latin ``o`` inside a
Cyrillic word stop mattering), with pasted codes, numbers, quantities, units, dates and boilerplate
("see description of related tender") removed and common abbreviations expanded.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# Phrases that say nothing about what was bought (several languages; matched after transliteration).
BOILERPLATE = [
    r"see (the )?(description|details) (of|in) (the )?related tender",
    r"see (the )?(attached|attachment|annex|description|tender documents?|procurement documents?)",
    r"as per (the )?(attached|quote|quotation|invoice|contract|agreement|po)",
    r"please refer to (the )?\w+( documents?)?",
    r"for details see \w+",
    r"voir (le |la |les )?(description|documents? de (la )?consultation|cahier des charges|dce)",
    r"siehe (die )?(beschreibung|vergabeunterlagen|leistungsbeschreibung)",
    r"vease (el |la )?(pliego|descripcion)",
    r"zgodnie z (opisem|swz|siwz)",
    r"conform (caietului de sarcini|documentatiei)",
    r"not applicable|n/a|tbc|tbd|misc(ellaneous)?|various|sundry|other( costs?)?",
    r"po|inv|invoice|ref|nr",  # ledger reference words left once their numbers are gone
]
_BOILERPLATE_RE = re.compile(r"\b(?:" + "|".join(BOILERPLATE) + r")\b")

# Abbreviations common in ERP ledgers, expanded to the word the training text uses.
ABBREVIATIONS = {
    "svc": "service",
    "svcs": "services",
    "serv": "services",
    "maint": "maintenance",
    "mgmt": "management",
    "mgt": "management",
    "equip": "equipment",
    "eqpt": "equipment",
    "accom": "accommodation",
    "accomm": "accommodation",
    "hw": "hardware",
    "sw": "software",
    "pc": "computer",
    "pcs": "",
    "ppe": "personal protective equipment",
    "h&s": "health safety",
    "tel": "telephone",
    "telco": "telecommunications",
    "cons": "consultancy",
    "consult": "consultancy",
    "prof": "professional",
    "trng": "training",
    "trans": "transport",
    "transp": "transport",
    "elec": "electricity",
    "furn": "furniture",
    "stat": "stationery",
    "cater": "catering",
    "sec": "security",
    "clng": "cleaning",
    "wkly": "weekly",
    "mthly": "monthly",
}

UNITS = (
    r"kg|g|mg|t|tonnes?|tons?|l|ml|cl|dl|ltr|litres?|liters?|m|cm|mm|km|m2|m3|sqm|pcs?|pce|pc|ea|each|"
    r"units?|szt|buc|st|stk|stuck|sht|shtuk|sht\.|kom|ks|db|vnt|gab|tk|kpl|pkt|pack|packs|box|boxes|"
    r"rolls?|sets?|pairs?|pr|dozen|doz|h|hrs?|hours?|days?|months?|eur|euro|euros|usd|gbp|chf|pln|ron|"
    r"uah|rub|czk|huf|sek|dkk|bgn|nok|x|w|kw|kwh|mw|mwh|v|kv|a|mah|gb|tb|mb|ghz|mhz|hz|in|inch"
)
# Quantities with their units ("1 kg", "500ml", "3x"), codes with digits ("PO/2017-06/A2", "30213000-5",
# "Q3", "FY24"), and bare numbers.
_QUANTITY_RE = re.compile(rf"\b\d+(?:[.,]\d+)?\s*(?:{UNITS})\b")
_CODE_RE = re.compile(r"\b[\w./-]*\d[\w./-]*\b")
_NON_WORD_RE = re.compile(r"[^a-z]+")
_SPACE_RE = re.compile(r"\s+")
# Cyrillic soft and hard signs romanise to apostrophes that would split words ("будівельні").
_SILENT = str.maketrans("", "", "ьъ'’ʼ")


def transliterate(text: str) -> str:
    """NFKC, case-fold and transliterate to lower-case ASCII (accents dropped, other scripts romanised)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_SILENT)
    return folded if folded.isascii() else anyascii(folded).lower()


@functools.lru_cache(maxsize=4096)  # the text model, goods matcher and term reader each normalise a text
def normalise(text: str | None) -> str:
    """The comparable form of a description: ASCII words only, without codes, quantities or boilerplate.

    >>> normalise("Кофе в зернах 1 кг")
    'kofe v zernakh'
    >>> normalise("Cleaning Vienna office Q3 (PO 4500012345)")
    'cleaning vienna office po'
    """
    if not text:
        return ""
    t = transliterate(text)
    t = _QUANTITY_RE.sub(" ", t)
    t = _CODE_RE.sub(" ", t)
    t = _BOILERPLATE_RE.sub(" ", t)
    words = [ABBREVIATIONS.get(w, w) for w in _NON_WORD_RE.sub(" ", t).split()]
    return _SPACE_RE.sub(" ", " ".join(w for w in words if w)).strip()
