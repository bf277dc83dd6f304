"""Supplier names and identifiers, normalised so that spellings of one company compare equal.

``normalise_name`` transliterates to Latin (``anyascii``: Cyrillic, Greek, accents), folds case,
joins dotted abbreviations ("S.A." → "sa"), turns punctuation into spaces, removes the legal form at
either end (cleanco's international list of legal terms plus a few it lacks, e.g. Russian and
Central Asian forms, "Pty", "y Cía") and the joining words ("and", "&", "et", "y", "und", "и")::

    >>> normalise_name("ООО «Чистый Дом»"), normalise_name("Chistyy Dom, OOO")
    ('chistyy dom', 'chistyy dom')
    >>> normalise_name("BOUYGUES ENERGIES & SERVICES"), normalise_name("Bouygues Energies et Services SAS")
    ('bouygues energies services', 'bouygues energies services')

``supplier_key`` is that normalised name; the screening joins supplier evidence to lines on it, and
the workspace's supplier registry files every spelling under it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from cleanco import prepare_default_terms

# Legal forms cleanco's list lacks (transliterated, lower case), most from the countries the OSCE works in.
EXTRA_LEGAL_FORMS = (
    "ao", "pao", "zao", "oao", "ooo", "odo", "ip", "too", "tov", "chp", "mchj", "ojsc", "cjsc", "pjsc", "jsc",
    "llc", "pty", "pty ltd", "saci", "sac", "saic", "srl", "y cia", "cia", "y cia ltda", "et cie", "cie",
    "sci", "selarl", "sasu", "eood", "ltd", "limited", "plc", "inc", "corp", "co ltd", "company limited",
    "gmbh co kg", "sp z oo", "sa de cv", "s de rl", "mmc", "qsc", "dooel", "ad", "doo", "kft", "zrt", "sro",
)  # fmt: skip
# Words that join parts of a name and are spelt differently from one record to the next.
CONNECTORS = frozenset({"and", "&", "et", "y", "e", "und", "en", "i", "ve"})
# Leading articles ("The Acme Company").
ARTICLES = frozenset({"the", "la", "le", "les", "el", "los", "die", "der", "das"})
# cleanco terms that are also ordinary words in names: never removed ("Capita UK", "Société Générale ET").
KEEP = frozenset({"uk", "et", "private", "vat", "ok", "se", "sp", "pt", "sd", "ei", "ca", "eu", "ent", "ss"})
_DOTTED = re.compile(r"^(?:[a-z]\.){1,}[a-z]?\.?$")
_NOT_WORD = re.compile(r"[^0-9a-z&_]+")
LOST = "\ufffd"  # a letter the data lost (often an accented one): kept as "_", which matches any letter
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def legal_forms() -> tuple[tuple[str, ...], ...]:
    """Legal-form terms as token tuples, longest first."""
    terms = {tuple(t for t in tokens if t) for _, tokens in prepare_default_terms()}
    terms = {tuple(_NOT_WORD.sub(" ", " ".join(t)).split()) for t in terms}
    terms |= {tuple(t.split()) for t in EXTRA_LEGAL_FORMS}
    terms = {t for t in terms if t and not (len(t) == 1 and t[0] in KEEP)}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


# A country in brackets is a tag, not part of the name: "Northgate Public Services (UK) Ltd".
_COUNTRY_TAG = re.compile(r"\((?:uk|gb|u\.k\.|aust|australia|nz|usa|us|france|europe|eu|ireland|scotland)\)")


def _tokens(name: str) -> list[str]:
    text = anyascii(unicodedata.normalize("NFKC", name).replace(LOST, "_")).casefold()
    text = _COUNTRY_TAG.sub(" ", text)
    words = []
    for raw in _SPACE.split(text):
        if _DOTTED.match(raw):  # "s.a." "s.r.l" "p.l.c." → "sa" "srl" "plc"
            raw = raw.replace(".", "")
        words.extend(_NOT_WORD.sub(" ", raw.replace("&", " & ")).split())
    return words


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    """Remove legal forms at either end, repeatedly, keeping at least one word."""
    forms = legal_forms()
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for form in forms:
            n = len(form)
            if n < len(tokens) and tuple(tokens[-n:]) == form:
                tokens, changed = tokens[:-n], True
                break
            if n < len(tokens) and tuple(tokens[:n]) == form:
                tokens, changed = tokens[n:], True
                break
        while len(tokens) > 1 and tokens[-1] in CONNECTORS:  # "Smith &" after "Co" went
            tokens, changed = tokens[:-1], True
    return tokens


def normalise_name(name: str | None) -> str:
    """The comparable form of a supplier's name ("" for no name); see the module's docstring."""
    if not name:
        return ""
    tokens = _tokens(name)
    tokens = _strip_legal_forms(tokens)
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    kept = [t for t in tokens if t not in CONNECTORS]
    return " ".join(kept or tokens)


def supplier_key(name: str | None) -> str:
    """The key supplier evidence and the supplier registry use: the normalised name."""
    return normalise_name(name)


# Identifier schemes: company register numbers, VAT numbers, OCDS organisation ids, Open Supply Hub ids.
SCHEMES = ("company", "vat", "ocds", "osh", "other")


def normalise_identifier(scheme: str, value: str | None) -> str:
    """``scheme:VALUE`` with the value's spaces, dots, dashes and slashes removed and upper-cased.

    An OCDS organisation identifier keeps its prefix (``GB-COH-01234567`` → ``ocds:GB-COH-01234567``)
    so that two registers' numbers never collide; a VAT number keeps its country prefix.
    """
    scheme = (scheme or "other").strip().lower()
    if scheme not in SCHEMES:
        raise ValueError(f"identifier scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    text = anyascii(unicodedata.normalize("NFKC", value or "")).upper().strip()
    text = re.sub(r"\s+" if scheme == "ocds" else r"[\s.\-/]+", "", text)
    if not text:
        raise ValueError(f"{scheme} identifier is empty")
    return f"{scheme}:{text}"
