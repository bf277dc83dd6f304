"""The keyword baseline: words that point to one CPV division, learned from the CPV labels in 26 languages.

A word of the labels becomes a keyword when at least ``MIN_SHARE`` of the labels using it sit in one
CPV division. It points to the CPV code with the shortest label containing it (``coffee`` ->
15861000 Coffee). A description gets the division its keywords weigh most for, and the code of its
strongest keyword there. No TED text is used: this is the dictionary approach the model is compared to.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from fairprocure.classify.data import cpv_labels
from fairprocure.classify.model import UNUSABLE, TextPrediction
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import UNCLASSIFIED, category_for_cpv
from fairprocure.messages import template

MIN_SHARE = 0.6
MIN_COUNT = 2
MIN_LENGTH = 3
KEYWORDS = template("class.keywords", "keywords: %(terms)s -> CPV %(cpv)s")
NO_KEYWORD = template("class.no_keyword", "no keyword matched")


@dataclass(frozen=True)
class Keyword:
    cpv: str
    weight: float


@cache
def keyword_table() -> dict[str, Keyword]:
    """Every keyword with the CPV code it points to and its weight (share x log count)."""
    divisions: dict[str, Counter[str]] = defaultdict(Counter)
    shortest: dict[str, tuple[int, str]] = {}
    for code, by_lang in cpv_labels().items():
        for label in by_lang.values():
            norm = normalise(label)
            for word in set(norm.split()):
                if len(word) < MIN_LENGTH:
                    continue
                divisions[word][code[:2]] += 1
                shortest[word] = min(shortest.get(word, (10**6, code)), (len(norm), code))
    table: dict[str, Keyword] = {}
    for word, by_division in divisions.items():
        total = sum(by_division.values())
        division, top = by_division.most_common(1)[0]
        if total >= MIN_COUNT and top / total >= MIN_SHARE:
            code = shortest[word][1]
            if code[:2] != division:  # the shortest label is elsewhere: point to the division itself
                code = division + "000000"
            table[word] = Keyword(cpv=code, weight=top / total * math.log1p(total))
    return table


class KeywordClassifier:
    """Same interface as the text model: ``predict(list[str]) -> list[TextPrediction]``."""

    def __init__(self) -> None:
        self.table = keyword_table()

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> TextPrediction:
        hits = [(w, self.table[w]) for w in dict.fromkeys(normalise(text).split()) if w in self.table]
        if not hits:
            return UNUSABLE if not normalise(text) else _no_keyword()
        by_division: Counter[str] = Counter()
        for _, kw in hits:
            by_division[kw.cpv[:2]] += kw.weight
        division, score = by_division.most_common(1)[0]
        _, kw = max((h for h in hits if h[1].cpv[:2] == division), key=lambda h: h[1].weight)
        confidence = score / sum(by_division.values())
        terms = ", ".join(w for w, k in hits if k.cpv[:2] == division)
        category = category_for_cpv(kw.cpv) or UNCLASSIFIED
        return TextPrediction(kw.cpv, category, confidence, KEYWORDS(terms=terms, cpv=kw.cpv))


def _no_keyword() -> TextPrediction:
    return TextPrediction(None, UNCLASSIFIED, 0.0, NO_KEYWORD())
