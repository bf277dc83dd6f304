"""The spend-risk taxonomy: categories, their risk attributes and the CPV codes under each.

Two files beside this module hold it:

* ``taxonomy.toml``: the categories and the facts about each (kind, labour intensity, workforce,
  subcontracting, on-premises work, source);
* ``cpv_categories.csv``: the reviewed decision for every CPV 2008 division, group and class, plus the
  narrower codes that differ from their parent: ``code`` (the CPV code's significant digits, 2 to 8),
  ``label`` (English CPV label), ``category`` and ``reason`` (why, when it is not obvious).

A CPV code maps to the category of the longest code prefix in the table, so every one of the 9,454
CPV 2008 codes has a category.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from fairprocure.reference.cpv import normalise_cpv  # re-exported for callers of the taxonomy

UNCLASSIFIED = "unclassified"
LABOUR_INTENSITY = ("low", "medium", "high")
KINDS = ("goods", "services", "transfer", "unknown")
CPV_TABLE = "cpv_categories.csv"


@dataclass(frozen=True)
class Category:
    """One spend category and the facts about its workforce and business model."""

    id: str
    label: str
    kind: str  # goods | services | transfer | unknown
    labour_intensity: str = "medium"
    vulnerable_workforce: bool = False
    subcontracting: bool = False
    on_premises: bool = False
    source: str = ""
    cpv: tuple[str, ...] = field(default_factory=tuple)  # the CPV prefixes decided for this category


@dataclass(frozen=True)
class Decision:
    """One row of ``cpv_categories.csv``."""

    code: str
    label: str
    category: str
    reason: str


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, Category]
    prefixes: dict[str, str]  # CPV prefix -> category id
    decisions: dict[str, Decision] = field(default_factory=dict)  # CPV prefix -> its table row

    def category_for_cpv(self, code: str | None) -> str | None:
        """Category of a CPV code (8 digits, check digit and dashes tolerated), or None if not CPV."""
        digits = normalise_cpv(code)
        if digits is None:
            return None
        for n in range(8, 1, -1):
            hit = self.prefixes.get(digits[:n])
            if hit is not None:
                return hit
        return None

    def decision_for_cpv(self, code: str | None) -> Decision | None:
        """The table row that decides a CPV code's category (its longest matching prefix)."""
        digits = normalise_cpv(code)
        if digits is None:
            return None
        for n in range(8, 1, -1):
            hit = self.decisions.get(digits[:n])
            if hit is not None:
                return hit
        return None

    def __getitem__(self, category_id: str) -> Category:
        return self.categories[category_id]


def read_decisions(text: str, source: str = CPV_TABLE) -> list[Decision]:
    """Rows of the CPV decision table, checked: code of 2 to 8 digits, each code once."""
    reader = csv.DictReader(io.StringIO(text))
    need = {"code", "label", "category", "reason"}
    if not need <= set(reader.fieldnames or ()):
        raise ValueError(f"{source}: needs columns {sorted(need)}; found {reader.fieldnames}")
    out: list[Decision] = []
    seen: set[str] = set()
    for n, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        if not (code.isdigit() and 2 <= len(code) <= 8):
            raise ValueError(f"{source}, row {n}, field code: {code!r} is not 2 to 8 CPV digits")
        if code in seen:
            raise ValueError(f"{source}, row {n}, field code: {code} is decided twice")
        seen.add(code)
        out.append(
            Decision(code, row["label"].strip(), row["category"].strip(), (row["reason"] or "").strip())
        )
    return out


@cache
def load_taxonomy() -> Taxonomy:
    here = files("fairprocure.classify")
    raw = tomllib.loads(here.joinpath("taxonomy.toml").read_text("utf-8"))
    decisions = read_decisions(here.joinpath(CPV_TABLE).read_text("utf-8"))
    by_category: dict[str, list[str]] = {}
    prefixes: dict[str, str] = {}
    for n, d in enumerate(decisions, start=2):
        if d.category not in raw["categories"]:
            raise ValueError(f"{CPV_TABLE}, row {n}, field category: {d.category!r} is not in taxonomy.toml")
        prefixes[d.code] = d.category
        by_category.setdefault(d.category, []).append(d.code)
    categories: dict[str, Category] = {}
    for cid, spec in raw["categories"].items():
        spec = dict(spec)
        if "cpv" in spec:
            raise ValueError(f"taxonomy.toml, category {cid}: CPV codes are decided in {CPV_TABLE}, not here")
        if spec.get("labour_intensity", "medium") not in LABOUR_INTENSITY:
            raise ValueError(
                f"taxonomy.toml, category {cid}: labour_intensity must be one of {LABOUR_INTENSITY}"
            )
        if spec.get("kind") not in KINDS:
            raise ValueError(f"taxonomy.toml, category {cid}: kind must be one of {KINDS}")
        categories[cid] = Category(id=cid, cpv=tuple(by_category.get(cid, ())), **spec)
    return Taxonomy(categories=categories, prefixes=prefixes, decisions={d.code: d for d in decisions})


def category_for_cpv(code: str | None) -> str | None:
    return load_taxonomy().category_for_cpv(code)
