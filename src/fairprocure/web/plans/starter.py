"""A starter plan from a screening: library actions suggested for an office's high-risk contracts.

Plain values in, plain values out. For every category of the office's high-risk contracts, the
library's actions for that category are suggested, each linked to the contracts it concerns; actions
for every high-risk contract (``"*"``) are suggested once, linked to all of them. A person then
accepts, edits or drops each suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ANY = "*"


@dataclass(frozen=True)
class ContractRisk:
    pk: int
    label: str
    categories: tuple[str, ...]
    suppliers: tuple[str, ...]
    value_eur: float
    high: bool  # the assessment in force, else the highest level of its lines


@dataclass(frozen=True)
class Entry:
    key: str
    categories: tuple[str, ...]
    theme: str


@dataclass
class Suggestion:
    entry: str
    theme: str
    contracts: list[int] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    suppliers: list[str] = field(default_factory=list)
    value_eur: float = 0.0  # high-risk spend the action would cover


def suggest(contracts: Iterable[ContractRisk], library: Iterable[Entry]) -> list[Suggestion]:
    """Suggestions for the high-risk ``contracts``, the most spend covered first."""
    high = [c for c in contracts if c.high]
    suggestions = []
    for entry in library:
        wanted = set(entry.categories)
        hits = [c for c in high if ANY in wanted or wanted & set(c.categories)]
        if not hits:
            continue
        suggestion = Suggestion(entry=entry.key, theme=entry.theme)
        for contract in hits:
            suggestion.contracts.append(contract.pk)
            suggestion.value_eur += contract.value_eur
            for category in contract.categories:
                if (ANY in wanted or category in wanted) and category not in suggestion.categories:
                    suggestion.categories.append(category)
            for supplier in contract.suppliers:
                if supplier not in suggestion.suppliers:
                    suggestion.suppliers.append(supplier)
        if ANY in wanted:
            suggestion.categories = []  # an action for every high-risk contract links contracts only
        suggestions.append(suggestion)
    return sorted(suggestions, key=lambda s: (-s.value_eur, s.theme, s.entry))
