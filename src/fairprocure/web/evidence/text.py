"""The library's evidence texts (factor evidence, classification evidence, data issues, sources) in
the reader's language.

The library stores each text as English plus its template key and parameters
(:mod:`fairprocure.messages`); here the template is translated with Django's gettext (this app's
catalogue, ``locale/ru/LC_MESSAGES/django.po``, holds every library template: see
``catalogue.py``), countries are named by pycountry's translations, categories and columns by the
workspace's labels. Anything stored without a template is shown as stored.
"""

from __future__ import annotations

import gettext as gettext_module
import re
from functools import cache

import orjson
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from fairprocure import messages
from fairprocure.web import labels

# Line columns a data issue can name, in English; shown with pgettext("field", ...).
FIELD_NAMES = {
    "line_id": "line",
    "office": "office",
    "contract_id": "contract",
    "record_id": "record",
    "description": "description",
    "classification_scheme": "classification scheme",
    "classification_code": "classification code",
    "cpv": "CPV code",
    "supplier_name": "supplier",
    "supplier_id": "supplier identifier",
    "supplier_country": "supplier's country",
    "origin_country": "country of origin",
    "delivery_country": "country of delivery",
    "quantity": "quantity",
    "value": "value",
    "currency": "currency",
    "value_eur": "value in euros",
    "date": "date",
    "end_date": "end date",
    "procurement_method": "procurement method",
    "source_file": "file",
    "source_record": "record in the file",
    "data_issues": "data issues",
}
COUNTRY_OVERRIDES = {"XKX": {"en": "Kosovo", "ru": "Косово"}}


@cache
def _pycountry_translation(language: str):
    import pycountry

    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(iso3: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default); the code if unknown."""
    import pycountry

    language = (language or get_language() or "en").split("-")[0]
    if iso3 in COUNTRY_OVERRIDES:
        names = COUNTRY_OVERRIDES[iso3]
        return names.get(language, names["en"])
    found = pycountry.countries.get(alpha_3=iso3)
    if found is None:
        return iso3
    if language == "en":
        return messages.english_country(iso3)
    translate = _pycountry_translation(language).gettext
    common = getattr(found, "common_name", None)
    if common and translate(common) != common:
        return translate(common)
    return translate(found.name)


def field_label(name: str) -> str:
    return pgettext("field", FIELD_NAMES[name]) if name in FIELD_NAMES else name


def language() -> messages.Language:
    """How the library's messages are rendered in the active language."""
    return messages.Language(
        gettext=gettext,
        pgettext=pgettext,
        country=country_name,
        category=labels.category_label,
        field=field_label,
        decimal=formats.get_format("DECIMAL_SEPARATOR"),
    )


def _parsed(value) -> dict | None:
    if isinstance(value, dict):
        return value
    if not value:
        return None
    try:
        found = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return found if isinstance(found, dict) else None


def message_text(stored, fallback: str = "") -> str:
    """A stored message (``{"t", "p"}`` as JSON text or dict) in the active language, else ``fallback``."""
    found = _parsed(stored)
    if found and found.get("t"):
        text = messages.render_json(found, language())
        if text:
            return text
    return fallback


def factor_evidence(factor: dict) -> str:
    """A factor's evidence (an item of the register's ``factors``), translated when it has a template."""
    return message_text(factor, factor.get("evidence") or "")


def issue_text(issue) -> str:
    """A ``data_issues`` entry: ``{"text", "field", "t", "p"}`` or a plain English string."""
    if not isinstance(issue, dict):
        return str(issue)
    said = message_text(issue, "")
    if not said:
        return issue.get("text") or ""
    field = issue.get("field")
    return f"{field_label(field)}: {said}" if field else said


def source_text(source: str) -> str:
    """A factor's source; the library's own source names are translated."""
    return pgettext("source", source) if source else ""


_ROW = re.compile(r"^row (\d+)$")


def record_text(source_record: str) -> str:
    """Where in the file: the library writes ``row N`` for spreadsheets (OCDS paths are shown as they are)."""
    found = _ROW.match(source_record or "")
    return pgettext("place in a file", "row %(n)s") % {"n": found.group(1)} if found else source_record or ""
