"""Tender guidance by stage and category (``guidance.toml``): stages, checklists, texts and their sources."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fairprocure.web.clauses.library import cite

FILE = Path(__file__).with_name("guidance.toml")
STAGES = ("market_research", "analysis", "engagement", "specification", "contract_management")
GENERIC = "generic"
# The categories the issue names, each with its own guide; every other category gets the generic one.
GUIDED = (
    "cleaning",
    "security",
    "catering",
    "hotels_conferences",
    "coffee",
    "electronics_ict",
    "garments_textiles",
    "construction_works",
)


@dataclass(frozen=True)
class Item:
    key: str
    en: str
    ru: str

    def text(self, language: str) -> str:
        return self.ru if language == "ru" else self.en


@dataclass(frozen=True)
class Guide:
    """What to do at one stage for one category."""

    stage: str
    category: str  # a guided category or "generic"
    title: dict  # {"en", "ru"}
    purpose: dict
    text: dict
    sources: tuple[dict, ...]  # {"key", "title", "url"}
    checklist: tuple[Item, ...]  # the stage's items, then the category's


@cache
def _raw() -> dict:
    return tomllib.loads(FILE.read_text(encoding="utf-8"))


def _items(entries, where: str) -> tuple[Item, ...]:
    items = []
    for e in entries or ():
        if not (e.get("key") and e.get("en") and e.get("ru")):
            raise ValueError(f"guidance.toml, {where}: each checklist item needs key, en and ru")
        items.append(Item(e["key"], e["en"], e["ru"]))
    return tuple(items)


def guide_category(category: str) -> str:
    return category if category in GUIDED else GENERIC


@cache
def guide(category: str, stage: str) -> Guide:
    """The guidance for ``category`` (a taxonomy id; unguided ones get the generic guide) at ``stage``."""
    if stage not in STAGES:
        raise KeyError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    raw = _raw()
    cat = guide_category(category)
    spec = raw["stages"][stage]
    entry = raw["guidance"].get(cat, {}).get(stage)
    if entry is None:
        raise KeyError(f"guidance.toml has no guidance for {cat} at {stage}")
    stage_items = _items(spec.get("checklist"), f"stage {stage}")
    own = _items(entry.get("checklist"), f"{cat}.{stage}")
    return Guide(
        stage=stage,
        category=cat,
        title={"en": spec["title_en"], "ru": spec["title_ru"]},
        purpose={"en": spec["purpose_en"], "ru": spec["purpose_ru"]},
        text={"en": entry.get("text_en", ""), "ru": entry.get("text_ru", "")},
        sources=tuple(cite(list(dict.fromkeys([*entry.get("sources", ()), *spec.get("sources", ())])))),
        checklist=stage_items + tuple(i for i in own if i.key not in {s.key for s in stage_items}),
    )


def stage_title(stage: str, language: str) -> str:
    return _raw()["stages"][stage]["title_ru" if language == "ru" else "title_en"]


@cache
def starter_criteria() -> tuple[dict, ...]:
    return tuple(_raw().get("criteria", ()))
