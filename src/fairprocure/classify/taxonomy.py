"""The spend-risk taxonomy: categories, their risk attributes and the CPV codes under each.

The taxonomy lives in ``taxonomy.toml`` beside this module. A CPV code maps to the category of the
longest prefix that matches it, so every one of the 9,454 CPV 2008 codes has a category.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from fairprocure.reference.cpv import normalise_cpv  # re-exported for callers of the taxonomy

UNCLASSIFIED = "unclassified"
LABOUR_INTENSITY = ("low", "medium", "high")


@dataclass(frozen=True)
class Category:
    """One spend category and the facts about its workforce and business model."""

    id: str
    label: str
    kind: str  # goods | services | unknown
    labour_intensity: str = "medium"
    vulnerable_workforce: bool = False
    subcontracting: bool = False
    on_premises: bool = False
    cpv: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, Category]
    prefixes: dict[str, str]  # CPV prefix -> category id

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

    def __getitem__(self, category_id: str) -> Category:
        return self.categories[category_id]


@cache
def load_taxonomy() -> Taxonomy:
    raw = tomllib.loads(files("fairprocure.classify").joinpath("taxonomy.toml").read_text("utf-8"))
    categories: dict[str, Category] = {}
    prefixes: dict[str, str] = {}
    for cid, spec in raw["categories"].items():
        spec = dict(spec)
        spec["cpv"] = tuple(spec.get("cpv", ()))
        if spec.get("labour_intensity", "medium") not in LABOUR_INTENSITY:
            raise ValueError(
                f"taxonomy.toml, category {cid}: labour_intensity must be one of {LABOUR_INTENSITY}"
            )
        cat = Category(id=cid, **spec)
        categories[cid] = cat
        for prefix in cat.cpv:
            if prefix in prefixes and prefixes[prefix] != cid:
                raise ValueError(
                    f"taxonomy.toml: CPV prefix {prefix} is in both {prefixes[prefix]} and {cid}"
                )
            prefixes[prefix] = cid
    return Taxonomy(categories=categories, prefixes=prefixes)


def category_for_cpv(code: str | None) -> str | None:
    return load_taxonomy().category_for_cpv(code)
