"""Classification codes the data carries, read into taxonomy categories: a code beats free text.

Schemes (``classification_scheme``, read case- and punctuation-insensitively; empty means "detect it from
the code's shape"):

* ``CPV``: the reviewed taxonomy table (:mod:`fairprocure.classify.taxonomy`);
* ``UNSPSC`` (the UN system's code, managed by GS1 US): segments and families, a few classes;
* ``HS``: Harmonized System chapters, headings and subheadings (national tariff codes such as CN,
  TARIC, HTS are read by their first digits);
* ``MCC``: ISO 18245 merchant category codes on card transactions, by code ranges;
* ``ProClass``: the UK local-government classification. Its codes are not shipped; its heading names
  are read from the description by :mod:`fairprocure.classify.terms`, and a user's own code file can be
  loaded (below).

Every mapping (``reference/data/codes/*_categories.csv``) is fairprocure's own: a code prefix (or an
MCC range), the category, the DOL-listed goods the code names if any, and a short note in our words.
The code sets' own labels are not shipped where their licences do not allow it (UNSPSC is GS1 US's,
the HS nomenclature the World Customs Organization's); load your licensed copy with
:func:`load_code_labels` to show them in the evidence, and your own code-to-category mapping (for
ProClass codes, your ledger's account codes, ...) with :func:`load_code_mapping`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.messages import CATEGORY, Message, template
from fairprocure.reference import data_path
from fairprocure.reference.cpv import cpv_codes, normalise_cpv

SCHEMES = ("CPV", "UNSPSC", "HS", "MCC", "ProClass")
_ALIASES = {
    "cpv": "CPV",
    "cpvs": "CPV",
    "cpv2008": "CPV",
    "commonprocurementvocabulary": "CPV",
    "unspsc": "UNSPSC",
    "unspc": "UNSPSC",
    "hs": "HS",
    "hscode": "HS",
    "harmonizedsystem": "HS",
    "harmonisedsystem": "HS",
    "cn": "HS",
    "cn8": "HS",
    "taric": "HS",
    "hts": "HS",
    "htsus": "HS",
    "tariffcode": "HS",
    "commoditycode": "HS",
    "tnved": "HS",
    "mcc": "MCC",
    "merchantcategorycode": "MCC",
    "iso18245": "MCC",
    "proclass": "ProClass",
}
FILES = {"UNSPSC": "codes/unspsc_categories.csv", "HS": "codes/hs_categories.csv"}
MCC_FILE = "codes/mcc_categories.csv"
CODE_READ = template(
    "class.code",
    "%(scheme)s code %(code)s given in the data: %(about)s (%(span)s)",
)
CODE_MAPPED = template(
    "class.code_mapped",
    "%(scheme)s code %(code)s given in the data: %(category)s (%(source)s)",
    category=CATEGORY,
)
CPV_READ = template("class.source", "CPV code %(cpv)s given in the data")
SOURCES = {
    "CPV": "CPV 2008 (EU), fairprocure taxonomy table",
    "UNSPSC": "UNSPSC segments and families, mapped by fairprocure",
    "HS": "Harmonized System chapters and headings, mapped by fairprocure",
    "MCC": "ISO 18245 merchant category code ranges, mapped by fairprocure",
}


def scheme_name(scheme: str | None) -> str | None:
    """The canonical name of a scheme as the data spells it ("unspsc", "UNSPSC v24", "HS code", "CN8")."""
    if not scheme:
        return None
    key = re.sub(r"[^a-z0-9]", "", scheme.lower())
    if key in _ALIASES:
        return _ALIASES[key]
    for alias, name in _ALIASES.items():  # "unspscv24", "cpvcode", "hscode2022"
        if len(alias) >= 3 and key.startswith(alias):
            return name
    return None


def digits(code: str | None) -> str:
    """The code's digits, without dots, spaces, dashes or a trailing CPV check digit."""
    if not code:
        return ""
    text = str(code).strip()
    if re.fullmatch(r"\d{8}-\d", text):
        text = text[:8]
    return re.sub(r"[\s.\-/]", "", text)


def detect_scheme(code: str | None) -> str | None:
    """The scheme a bare code's shape implies, or None when the shape is ambiguous.

    ``03000000-1`` (8 digits and a check digit) or an 8-digit code of CPV 2008 is CPV; another 8-digit
    code or a 10-digit one whose segment is 10-95 is UNSPSC; a dotted code (``0901.21``, ``8471.30.00``)
    is HS. Four digits could be an MCC or an HS heading: without a scheme they are not read.
    """
    text = str(code or "").strip()
    if re.fullmatch(r"\d{8}-\d", text):
        return "CPV"
    if re.fullmatch(r"\d{4}\.\d{2}(\.\d{2,4})?", text) or re.fullmatch(r"\d{2}\.\d{2}(\.\d{2})?", text):
        return "HS"
    d = digits(text)
    if not d.isdigit():
        return None
    if len(d) == 8 and normalise_cpv(d) in cpv_codes():
        return "CPV"
    if len(d) in (8, 10) and 10 <= int(d[:2]) <= 95:
        return "UNSPSC"
    return None


@dataclass(frozen=True)
class CodeReading:
    """What a code says: its category, the listed goods it names, and the evidence."""

    scheme: str
    code: str
    category: str
    goods: tuple[str, ...]
    evidence: Message  # its English text, and a template the web app translates
    cpv: str | None = None  # the CPV code, when the scheme is CPV


@dataclass
class CodeMaps:
    """Prefix tables per scheme, MCC ranges, and any user-loaded labels and mappings."""

    prefixes: dict[str, dict[str, tuple[str, tuple[str, ...], str]]] = field(default_factory=dict)
    mcc: list[tuple[int, int, str, tuple[str, ...], str]] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (scheme, code digits) -> label
    user: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> (category, source)

    def read(self, scheme: str | None, code: str | None) -> CodeReading | None:
        """The category a (scheme, code) pair gives, or None if the code says nothing we can use."""
        raw = str(code or "").strip()
        if not raw:
            return None
        name = scheme_name(scheme) if scheme else detect_scheme(raw)
        given = scheme.strip() if scheme and scheme.strip() else None
        user_key = (given or name or "", raw)
        if user_key in self.user:
            category, source = self.user[user_key]
            shown = given or name or ""
            message = CODE_MAPPED(scheme=shown, code=raw, category=category, source=source)
            return CodeReading(shown, raw, category, (), message)
        if name is None:
            return None
        d = digits(raw)
        if name == "CPV":
            cpv = normalise_cpv(d)
            taxonomy = load_taxonomy()
            category = taxonomy.category_for_cpv(cpv)
            if category is None:
                return None
            return CodeReading("CPV", cpv, category, (), CPV_READ(cpv=cpv), cpv=cpv)
        if name == "MCC":
            return self._mcc(d)
        table = self.prefixes.get(name)
        if not table or not d.isdigit():
            return None
        for n in range(len(d), 1, -1):
            hit = table.get(d[:n])
            if hit is not None:
                category, goods, note = hit
                label = self._label(name, d)
                about = f"'{label}'" if label else note
                evidence = CODE_READ(scheme=name, code=raw, about=about, span=f"prefix {d[:n]}")
                return CodeReading(name, d, category, goods, evidence)
        return None

    def _mcc(self, d: str) -> CodeReading | None:
        if not (d.isdigit() and len(d) == 4):
            return None
        value = int(d)
        hits = [r for r in self.mcc if r[0] <= value <= r[1]]
        if not hits:
            return None
        low, high, category, goods, note = min(hits, key=lambda r: r[1] - r[0])  # the narrowest range
        label = self._label("MCC", d)
        about = f"'{label}'" if label else note
        span = f"range {low:04d}" if low == high else f"range {low:04d}-{high:04d}"
        return CodeReading("MCC", d, category, goods, CODE_READ(scheme="MCC", code=d, about=about, span=span))

    def _label(self, scheme: str, d: str) -> str | None:
        for n in range(len(d), 1, -1):
            hit = self.labels.get((scheme, d[:n]))
            if hit:
                return hit if n == len(d) else None
        return None


def _read(relative: str) -> list[dict[str, str]]:
    with data_path(relative).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _goods(value: str) -> tuple[str, ...]:
    return tuple(g.strip() for g in (value or "").split(";") if g.strip())


@cache
def code_maps() -> CodeMaps:
    """The shipped mappings (checked: known categories, digits only, each prefix once)."""
    categories = load_taxonomy().categories
    maps = CodeMaps()
    for scheme, relative in FILES.items():
        table: dict[str, tuple[str, tuple[str, ...], str]] = {}
        for n, row in enumerate(_read(relative), start=2):
            code = row["code"].strip()
            if not code.isdigit() or code in table:
                raise ValueError(f"{relative}, row {n}, field code: {code!r} is not a new digit prefix")
            if row["category"] not in categories:
                raise ValueError(
                    f"{relative}, row {n}, field category: {row['category']!r} is not a category"
                )
            table[code] = (row["category"], _goods(row["goods"]), row["note"])
        maps.prefixes[scheme] = table
    for n, row in enumerate(_read(MCC_FILE), start=2):
        if row["category"] not in categories:
            raise ValueError(f"{MCC_FILE}, row {n}, field category: {row['category']!r} is not a category")
        low, high = int(row["from"]), int(row["to"])
        if low > high:
            raise ValueError(f"{MCC_FILE}, row {n}: range {low}-{high} is empty")
        maps.mcc.append((low, high, row["category"], _goods(row["goods"]), row["note"]))
    return maps


def load_code_labels(path: str | Path, maps: CodeMaps | None = None) -> CodeMaps:
    """Add a licensed copy of a code set's labels, shown in the evidence.

    CSV with columns ``scheme`` (UNSPSC, HS, MCC, ...), ``code`` and ``label``; one row per code.
    """
    maps = maps or _copy(code_maps())
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        need = {"scheme", "code", "label"}
        if not need <= {c.strip().lower() for c in reader.fieldnames or ()}:
            raise ValueError(f"{path}: code labels need columns {sorted(need)}; found {reader.fieldnames}")
        for n, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            name = scheme_name(row["scheme"])
            if name is None:
                raise ValueError(f"{path}, row {n}, column 'scheme': unknown scheme {row['scheme']!r}")
            maps.labels[(name, digits(row["code"]))] = row["label"]
    return maps


def load_code_mapping(path: str | Path, maps: CodeMaps | None = None) -> CodeMaps:
    """Add your own codes: CSV with ``scheme``, ``code``, ``category`` (a taxonomy id), optional ``source``.

    The scheme and code are matched as the data spells them (e.g. ``ProClass``, ``Expenditure Code``), so
    a ledger's own account codes can be mapped too. A row here beats the shipped mappings.
    """
    maps = maps or _copy(code_maps())
    categories = load_taxonomy().categories
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        need = {"scheme", "code", "category"}
        if not need <= {c.strip().lower() for c in reader.fieldnames or ()}:
            raise ValueError(
                f"{path}: a code mapping needs columns {sorted(need)}; found {reader.fieldnames}"
            )
        for n, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            if row["category"] not in categories:
                raise ValueError(
                    f"{path}, row {n}, column 'category': {row['category']!r} is not a taxonomy category"
                )
            source = row.get("source") or f"mapping {path.name}"
            scheme = scheme_name(row["scheme"]) or row["scheme"]
            maps.user[(scheme, row["code"])] = (row["category"], source)
            maps.user[(row["scheme"], row["code"])] = (row["category"], source)
    return maps


def _copy(maps: CodeMaps) -> CodeMaps:
    return CodeMaps(dict(maps.prefixes), list(maps.mcc), dict(maps.labels), dict(maps.user))
