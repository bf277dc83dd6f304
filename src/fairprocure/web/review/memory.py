"""The organisation's supplier → category memory, learned from people's description decisions.

When people have decided what several of a supplier's descriptions are and (almost) all of them are
one category, the organisation remembers it: that supplier's lines the text model is not sure about
(``needs_review``, ``unclassified``) are filed under that category, now and in every later screening,
with the evidence "remembered from people's decisions on N descriptions of the supplier …". A sure
text reading, a code in the data and every decision a person took win over it; a person's supplier
decision replaces it. The memory is the library's remembered decision (a decision file row with
``learned_from``, :mod:`fairprocure.classify.decisions`), so a screening on the command line with the
workspace's decision file applies it the same way.

Each office has its own memory, learned from its current lines that a description decision
classified (the office's own or the organisation's; so one office's decisions never file another
office's lines), counted by distinct description: a supplier is remembered once
:data:`MIN_DESCRIPTIONS` of its decided descriptions are one category and at least :data:`MIN_SHARE`
of them are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from fairprocure.classify.decisions import Decision
from fairprocure.classify.normalise import normalise
from fairprocure.score.evidence import supplier_key
from fairprocure.web.register.models import Line
from fairprocure.web.review.models import CategoryDecision

MIN_DESCRIPTIONS = 2  # decided descriptions of the supplier in its category
MIN_SHARE = 0.75  # of the supplier's decided descriptions


@dataclass(frozen=True)
class Remembered:
    """A supplier's remembered category."""

    key: str  # supplier key
    supplier: str  # its most frequent spelling
    category: str
    learned_from: int  # decided descriptions in that category
    decided: int  # decided descriptions of the supplier in all

    def decision(self) -> Decision:
        return Decision(supplier=self.supplier, category=self.category, learned_from=self.learned_from)


def learn(office) -> dict[str, Remembered]:
    """The office's supplier memory now, by supplier key."""
    in_force = CategoryDecision.objects.filter(organisation_id=office.organisation_id, in_force=True).filter(
        Q(office__isnull=True) | Q(office=office)
    )
    described: set[str] = set()
    supplied: set[str] = set()
    for text_key, who_key in in_force.values_list("description_key", "supplier_key"):
        if text_key and not who_key:
            described.add(text_key)
        elif who_key and not text_key:
            supplied.add(who_key)  # a person decided the supplier itself: nothing to remember
    if not described:
        return {}
    lines = (
        Line.objects.filter(office=office, current=True, classification_status="decision")
        .exclude(supplier_name="")
        .values_list("description", "supplier_name", "category")
        .distinct()
    )
    categories: dict[str, dict[str, str]] = defaultdict(dict)  # supplier key → description key → category
    spellings: dict[str, Counter] = defaultdict(Counter)
    for description, supplier, category in lines.iterator(chunk_size=20_000):
        text = normalise(description)
        if text not in described:
            continue  # decided by a supplier decision (or a remembered category), not by its description
        who = supplier_key(supplier)
        if not who or who in supplied:
            continue
        categories[who][text] = category
        spellings[who][supplier] += 1
    memory = {}
    for who, by_text in categories.items():
        counts = Counter(by_text.values())
        category, n = counts.most_common(1)[0]
        if n >= MIN_DESCRIPTIONS and n / len(by_text) >= MIN_SHARE:
            name = max(spellings[who].items(), key=lambda kv: (kv[1], kv[0]))[0]
            memory[who] = Remembered(who, name, category, n, len(by_text))
    return memory


def lines_to_refresh(office, memory: dict[str, Remembered]) -> list[int]:
    """The office's current lines whose classification the memory changes: a remembered supplier's lines
    waiting for review, and lines filed by a memory that is gone or now says another category."""
    rows = (
        Line.objects.filter(office=office, current=True)
        .filter(classification_status__in=("needs_review", "unclassified", "decision"))
        .exclude(supplier_name="")
        .values_list("pk", "supplier_name", "category", "classification_status", "classification_message")
    )
    out: list[int] = []
    keys: dict[str, str] = {}
    for pk, supplier, category, status, message in rows.iterator(chunk_size=20_000):
        if supplier not in keys:
            keys[supplier] = supplier_key(supplier)
        found = memory.get(keys[supplier])
        if status != "decision":
            if found is not None:
                out.append(pk)
        elif '"class.remembered"' in (message or "") and (found is None or found.category != category):
            out.append(pk)
    return out
