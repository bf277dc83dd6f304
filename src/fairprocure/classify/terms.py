"""The ledger's own words for what a payment is: expense types, account names, ProClass headings.

Spend ledgers say what a line is in their expense-type, account or category columns ("Rent",
"Council Tax (Business Rates)", "Temporary Bureau Staffing", "Grants"); ingest appends those columns
to the description with " — ". ``reference/data/codes/ledger_terms.csv`` maps such terms to categories,
in two ways:

* ``segment``: the term is the whole of one " — "-separated part of the description (or the whole
  description): "Rent", "Grants", "Refunds", generic words that would mislead inside a sentence;
* ``phrase``: the term's words appear together anywhere: "council tax", "isa bonus", "help to buy".

Texts and terms are compared after :func:`fairprocure.classify.normalise.normalise`. The first part of
the description that a term reads wins (the line's own text before its context columns). A term
beats the free-text model: it is the ledger's own classification, read literally.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.messages import CATEGORY, Message, template
from fairprocure.reference import data_path

TERMS = "codes/ledger_terms.csv"
JOINER = " — "  # how ingest joins description and context columns
SOURCE = "ledger expense terms (fairprocure)"
READ = template("class.term", 'ledger term "%(term)s" read as %(category)s', category=CATEGORY)


@dataclass(frozen=True)
class TermReading:
    category: str
    term: str
    evidence: Message


class TermReader:
    def __init__(self, rows: list[dict[str, str]]):
        categories = load_taxonomy().categories
        self.segments: dict[str, tuple[str, str]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for n, row in enumerate(rows, start=2):
            words = normalise(row["term"])
            if not words:
                raise ValueError(f"{TERMS}, row {n}, field term: {row['term']!r} has no words")
            if row["category"] not in categories:
                raise ValueError(f"{TERMS}, row {n}, field category: {row['category']!r} is not a category")
            if row["match"] == "segment":
                self.segments[words] = (row["category"], row["term"])
            elif row["match"] == "phrase":
                tokens = tuple(words.split())
                self.phrases.setdefault(tokens[0], []).append((tokens, row["category"], row["term"]))
            else:
                raise ValueError(f"{TERMS}, row {n}, field match: {row['match']!r} is not segment or phrase")

    def read(self, description: str | None) -> TermReading | None:
        if not description:
            return None
        parts = [description, *description.split(JOINER)] if JOINER in description else [description]
        for part in parts:
            words = normalise(part)
            if not words:
                continue
            hit = self.segments.get(words)
            if hit is not None:
                category, term = hit
                return TermReading(category, term, READ(term=part.strip(), category=category))
            tokens = words.split()
            for i, token in enumerate(tokens):
                for phrase, category, term in self.phrases.get(token, ()):
                    if tuple(tokens[i : i + len(phrase)]) == phrase:
                        return TermReading(category, term, READ(term=" ".join(phrase), category=category))
        return None


@cache
def term_reader() -> TermReader:
    with data_path(TERMS).open(encoding="utf-8") as f:
        return TermReader(list(csv.DictReader(f)))
