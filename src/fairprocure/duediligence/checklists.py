"""Monitoring checklists per service and the ILO forced-labour indicators (data in TOML, EN and RU)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

GENERIC = "generic"
OUTCOMES = ("ok", "issue", "not_applicable", "not_checked")


@dataclass(frozen=True)
class Indicator:
    key: str
    en: str
    ru: str
    question_en: str
    question_ru: str

    def label(self, language: str) -> str:
        return self.ru if language == "ru" else self.en

    def question(self, language: str) -> str:
        return self.question_ru if language == "ru" else self.question_en


@dataclass(frozen=True)
class Item:
    key: str
    en: str
    ru: str
    evidence_en: str
    evidence_ru: str
    indicators: tuple[str, ...]

    def label(self, language: str) -> str:
        return self.ru if language == "ru" else self.en

    def evidence(self, language: str) -> str:
        return self.evidence_ru if language == "ru" else self.evidence_en


@dataclass(frozen=True)
class Checklist:
    service: str
    en: str
    ru: str
    items: tuple[Item, ...]

    def label(self, language: str) -> str:
        return self.ru if language == "ru" else self.en

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"checklist {self.service} has no item {key!r}")


def _read(name: str) -> dict:
    return tomllib.loads(files("fairprocure.duediligence").joinpath(name).read_text("utf-8"))


@cache
def indicators() -> dict[str, Indicator]:
    """The eleven ILO indicators of forced labour, by key, in their published order."""
    return {key: Indicator(key, **values) for key, values in _read("indicators.toml").items()}


@cache
def checklists() -> dict[str, Checklist]:
    """Every service's checklist: the common items, then the service's own."""
    data = _read("checklists.toml")
    known = indicators()

    def items(rows) -> list[Item]:
        out = []
        for row in rows:
            unknown = [i for i in row["indicators"] if i not in known]
            if unknown:
                raise ValueError(f"checklists.toml, item {row['key']}: unknown indicator(s) {unknown}")
            out.append(Item(**(row | {"indicators": tuple(row["indicators"])})))
        return out

    common = items(data["common"]["items"])
    found = {}
    for service, values in data["services"].items():
        own = items(values["items"])
        keys = [i.key for i in common + own]
        if len(keys) != len(set(keys)):
            raise ValueError(f"checklists.toml, service {service}: an item key is repeated")
        found[service] = Checklist(service, values["en"], values["ru"], tuple(common + own))
    return found


def checklist_for(category: str | None) -> Checklist:
    """The checklist of a contract's category (cleaning, security, ...), else the generic one."""
    lists = checklists()
    return lists.get(category or "", lists[GENERIC])


def indicators_touched(checklist: Checklist, results: dict[str, str]) -> list[str]:
    """The ILO indicators touched by the items found wanting (outcome ``issue``), in the ILO's order."""
    touched = {
        i for key, outcome in results.items() if outcome == "issue" for i in checklist.item(key).indicators
    }
    return [key for key in indicators() if key in touched]
