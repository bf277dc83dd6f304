"""Texts the library writes for people, as templates with named parameters, so any interface can
show them in its reader's language.

Factor evidence, classification evidence and data issues are built as a :class:`Message`: a short
template key and its parameters. The message's text is the English sentence every output shows by
default; ``message.as_json()`` is ``{"t": key, "p": {params}}``, what the
register stores beside the English so the web app can translate it (``docs/data-model.md``).

A Message is a ``str`` (its English text), so it goes wherever a sentence went before. A template is
declared once, in the module that uses it, with the kind of each parameter that is not plain text::

    TIER = template("country.tip_tier", "%(country)s: %(tier)s in the %(year)s TIP Report",
                    country=COUNTRY, tier=Term("TIP tier"))
    Factor("country_tip_tier", 4.0, TIER(country="BGD", tier="Tier 2", year="2024"), source)

The English template text is the gettext ``msgid`` (``%(name)s`` placeholders, as gettext's
python-format expects); a parameter is shown by its kind: plain text as given (names from the data,
years), numbers in the reader's number format, an ISO alpha-3 code as the country's name, a taxonomy
category id as its label, a column name as its label, a term from a closed list translated in its
context (``pgettext(context, value)``), a nested message rendered the same way. :func:`render` does
it for any language given a :class:`Language`; the English one is :data:`ENGLISH`.

Every template and term list is registered here when its module is imported; :func:`catalogue`
imports the library's modules that declare them and lists every msgid a translation must cover
(the web app's test keeps its Russian catalogue complete with it).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# The modules that declare templates; catalogue() imports them. A new module with templates adds itself.
MODULES = (
    "fairprocure.score.factors",
    "fairprocure.engine.plan",
    "fairprocure.classify.model",
    "fairprocure.classify.status",
    "fairprocure.classify.decisions",
    "fairprocure.classify.keywords",
    "fairprocure.classify.codes",
    "fairprocure.classify.terms",
    "fairprocure.ingest.finish",
    "fairprocure.ingest.ledger",
    "fairprocure.ingest.repair",
    "fairprocure.ingest.ocds",
    "fairprocure.reference.currency",
)


@dataclass(frozen=True)
class Kind:
    """How a parameter is shown. ``name``: text, number, country, category, field, term, message."""

    name: str
    spec: str = ""  # number: a format spec (``g``, ``.2f``, ``+g``); term: its context
    # term: the closed list (for the catalogue), or a mapping from a short stored value to its English
    values: tuple[str, ...] | dict[str, str] | Callable[[], Iterable[str]] = ()
    many: bool = False  # a list of values, joined with ", "

    def english(self, value: str) -> str:
        return self.values.get(value, value) if isinstance(self.values, dict) else value

    def known(self) -> tuple[str, ...]:
        if isinstance(self.values, dict):
            return tuple(self.values.values())
        return tuple(self.values() if callable(self.values) else self.values)


TEXT = Kind("text")
COUNTRY = Kind("country")
CATEGORY = Kind("category")
FIELD = Kind("field")
MESSAGE = Kind("message")


def Number(spec: str = "g") -> Kind:
    return Kind("number", spec)


def Term(
    context: str,
    values: tuple[str, ...] | dict[str, str] | Callable[[], Iterable[str]] = (),
    many: bool = False,
) -> Kind:
    """A word or phrase from a closed list, translated in ``context`` (the gettext msgctxt).

    ``values`` lists the English words for the catalogue; a dict maps the short value stored in the
    parameters (``"origin"``) to its English (``"country of production"``).
    """
    return Kind("term", context, values, many)


SOURCES: list[str | Callable[[], Iterable[str]]] = []


def sources(*texts: str | Callable[[], Iterable[str]]) -> None:
    """Register the names of evidence sources (a factor's ``source``) so translations cover them.

    Interfaces translate a source with ``pgettext("source", text)``; a source not registered (a
    user's own indicator file) is shown as given.
    """
    SOURCES.extend(texts)


TEMPLATES: dict[str, Template] = {}
TERMS: dict[str, Kind] = {}  # context -> the term kind declared for it


@dataclass(frozen=True)
class Template:
    key: str
    text: str  # English, with %(name)s placeholders: the gettext msgid
    kinds: dict[str, Kind] = field(default_factory=dict)

    def __call__(self, **params: Any) -> Message:
        return Message(self.key, {k: v for k, v in params.items() if v is not None and v != ""})

    def kind(self, name: str) -> Kind:
        return self.kinds.get(name, TEXT)


def template(key: str, text: str, **kinds: Kind) -> Template:
    """Declare (register) a template; the same key declared twice must say the same thing."""
    made = Template(key, text, kinds)
    known = TEMPLATES.get(key)
    if known is not None and (known.text, known.kinds) != (text, kinds):
        raise ValueError(f"message template {key!r} declared twice with different texts")
    TEMPLATES[key] = made
    for kind in kinds.values():
        if kind.name == "term":
            TERMS.setdefault(kind.spec, kind)
    return made


class Message(str):
    """A template key and its parameters. It *is* its English text (a ``str``), so it goes wherever
    a sentence went before; ``key``, ``params`` and :meth:`as_json` keep what a translation needs."""

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any] | None = None) -> Message:
        params = dict(params or {})
        made = super().__new__(cls, render(key, params, ENGLISH))
        made.key, made.params = key, params
        return made

    def __reduce__(self):
        return Message, (self.key, self.params)

    @property
    def text(self) -> str:
        return str.__str__(self)

    def as_json(self) -> dict[str, Any]:
        """``{"t": key, "p": params}`` (``p`` left out when empty); nested messages as the same."""
        params = {k: _jsonable(v) for k, v in self.params.items()}
        return {"t": self.key, "p": params} if params else {"t": self.key}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Language:
    """What rendering needs from an interface: its translations and how it names things."""

    gettext: Callable[[str], str]
    pgettext: Callable[[str, str], str]
    country: Callable[[str], str]
    category: Callable[[str], str]
    field: Callable[[str], str]
    decimal: str = "."
    separator: str = ", "


def render(key: str, params: dict[str, Any] | None, language: Language) -> str:
    """The text of template ``key`` with ``params`` in ``language``; an unknown key gives ""."""
    found = TEMPLATES.get(key)
    if found is None:
        _load()
        found = TEMPLATES.get(key)
    if found is None:
        return ""
    values = {
        name: _value(found.kind(name), params.get(name) if params else None, language)
        for name in _placeholders(found.text)
    }
    return language.gettext(found.text) % values


def render_json(message: dict[str, Any] | None, language: Language) -> str:
    """Render ``{"t": key, "p": params}`` (as stored in the register)."""
    if not message or "t" not in message:
        return ""
    return render(message["t"], message.get("p"), language)


def _value(kind: Kind, value: Any, language: Language) -> str:
    if kind.many and isinstance(value, list | tuple):
        return language.separator.join(_one(kind, v, language) for v in value)
    return _one(kind, value, language)


def _one(kind: Kind, value: Any, language: Language) -> str:
    """One value of ``kind`` as ``language`` writes it (a list of a ``many`` kind: see :func:`_value`)."""
    if value is None or value == "":
        return ""
    if kind.name == "number" and isinstance(value, int | float):
        return format(value, kind.spec or "g").replace(".", language.decimal)
    if kind.name == "country":
        return language.country(str(value))
    if kind.name == "category":
        return language.category(str(value))
    if kind.name == "field":
        return language.field(str(value))
    if kind.name == "term":
        return language.pgettext(kind.spec, kind.english(str(value)))
    if kind.name == "message":
        if isinstance(value, Message):
            return render(value.key, value.params, language)
        if isinstance(value, dict):
            return render_json(value, language)
    return str(value)


@functools.cache
def _placeholders(text: str) -> tuple[str, ...]:
    """The parameter names in a template's text (each template renders many times: found once)."""
    return tuple(re.findall(r"%\((\w+)\)", text))


def english_country(iso3: str) -> str:
    import pycountry

    if iso3 == "XKX":
        return "Kosovo"
    found = pycountry.countries.get(alpha_3=iso3)
    return getattr(found, "common_name", None) or (found.name if found else iso3)


def english_category(category: str) -> str:
    from fairprocure.classify.taxonomy import load_taxonomy

    found = load_taxonomy().categories.get(category)
    return found.label if found else category


ENGLISH = Language(
    gettext=lambda text: text,
    pgettext=lambda context, text: text,
    country=english_country,
    category=english_category,
    field=lambda name: name,
)

_loaded: list[bool] = []


def _load() -> None:
    if not _loaded:
        _loaded.append(True)
        for module in MODULES:
            importlib.import_module(module)


@dataclass(frozen=True)
class Entry:
    """One msgid a translation must cover: ``context`` is None for templates."""

    msgid: str
    context: str | None = None


def catalogue() -> list[Entry]:
    """Every template text and every known term, for translators and the catalogue test."""
    _load()
    entries = [Entry(t.text) for t in TEMPLATES.values()]
    for context, kind in sorted(TERMS.items()):
        entries.extend(Entry(value, context) for value in sorted(set(kind.known())))
    names: set[str] = set()
    for item in SOURCES:
        names.update(item() if callable(item) else [item])
    entries.extend(Entry(name, "source") for name in sorted(names))
    return entries
