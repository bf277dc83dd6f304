"""Goods on the US DOL List named in a description, in any of the shipped languages.

The lexicon (``reference/data/ilab/goods_lexicon.csv``, authored for fairprocure) gives each listed good
its words in four ways:

* ``cpv``: CPV codes whose labels name the good; their labels in the 24 EU languages and ProZorro's
  Russian and Ukrainian are harvested as phrases ("Disposable gloves", "Gants jetables",
  "Einweghandschuhe", "Перчатки одноразовые", ...);
* ``phrase``: curated phrases and synonyms in any language ("nitrile gloves", "smartphone", "хлопок");
* ``like`` + ``with``: the good is another good's words together with a qualifier anywhere in the
  text (Rubber Gloves = a word for gloves + "nitrile", "latex", "examination", "одноразовые", ...);
* ``not``: phrases that stop a match ("coffee table", "tea towels", "gold membership").

``python -m fairprocure.classify.goods`` compiles the lexicon (harvests the labels, drops false friends)
into ``goods_lexicon_compiled.csv``, which is what screenings load; a test keeps it current.

Texts and phrases are compared after :func:`fairprocure.classify.normalise.normalise` (lower case, one
Latin alphabet). A phrase word matches a text word exactly or, for words of five letters or more,
with a different ending (``gloves``/``glove``, ``perchatki``/``perchatok``); words of six letters or
more also match inside compounds (``handschuhe`` in ``einweghandschuhe``, ``kaffee`` in
``kaffeebohnen``).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from fairprocure.classify.data import cpv_labels
from fairprocure.classify.normalise import normalise
from fairprocure.reference import data_path

LEXICON = "ilab/goods_lexicon.csv"
COMPILED = "ilab/goods_lexicon_compiled.csv"  # the lexicon with CPV labels harvested: see compile_lexicon
KINDS = ("cpv", "phrase", "like", "with", "not")
MAX_LABEL_WORDS = 6  # longer CPV labels never appear verbatim in a description
MIN_HARVESTED = (
    7  # a one-word label shorter than this is too often a word of another language ("frais", "pain", "bois")
)
MIN_SINGLE = 4  # a one-word curated phrase needs this many letters ("tin", "toy" are Greek articles once transliterated)
SHORT_SINGLE = frozenset({"tea", "rum"})  # the exceptions
MIN_INFLECTED = 6  # a phrase word may take another ending from this length on (shorter words match exactly)
MIN_COMPOUND = (
    8  # a phrase word matches inside a compound from this length on (handschuhe in einweghandschuhe)
)
BLOCKED = frozenset({"the", "tee", "sale", "sol", "sal", "handy", "mate", "chat", "kava"})
MAX_ENDING = 3  # letters a text word may add to a phrase word's stem (plural, case endings)
INFLECTION = frozenset("aeiouyshnmkj")  # letters of plural and case endings (tablet/tables is not one)


@dataclass(frozen=True)
class GoodMatch:
    """A listed good named in a text, and the words that named it (``@SCHEME CODE`` when a code named it)."""

    good: str
    words: str


def _stem(word: str) -> str:
    if len(word) < MIN_INFLECTED:
        return word
    return word[:-1] if len(word) == MIN_INFLECTED else word[:-2]


def _ending(letters: str) -> bool:
    return len(letters) <= MAX_ENDING and all(c in INFLECTION for c in letters)


def _inflected(text_word: str, phrase_word: str, stem: str) -> bool:
    """gloves / glove, perchatki / perchatok, handschuhe / handschuh; not fraises / frais."""
    return (
        text_word.startswith(stem)
        and len(text_word) >= len(phrase_word) - 1
        and _ending(phrase_word[len(stem) :])
        and _ending(text_word[len(stem) :])
    )


def word_matches(text_word: str, phrase_word: str) -> bool:
    """Whether a text word is a form of a phrase word (see the module docstring)."""
    if text_word == phrase_word:
        return True
    n = len(phrase_word)
    if n < MIN_INFLECTED:
        return False
    stem = _stem(phrase_word)
    if _inflected(text_word, phrase_word, stem):
        return True
    if n < MIN_COMPOUND or len(text_word) < n + 3:
        return False
    head = phrase_word[:-1] if phrase_word.endswith("e") else phrase_word
    if text_word.startswith(head):
        return True  # the first part of a compound: baumwoll|hemden
    for form in (phrase_word, phrase_word[:-1]):  # the head of a compound: einweg|handschuhe
        at = text_word.rfind(form)
        if at >= 3 and _ending(text_word[at + len(form) :]):
            return True
    return False


class _PhraseSet:
    """Phrases (tuples of words) indexed for fast lookup of the positions where they occur in a text."""

    def __init__(self) -> None:
        self.by_stem: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self.exact: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self.cache: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

    def add(self, owner: str, phrase: tuple[str, ...]) -> None:
        first = phrase[0]
        if len(first) < 5:
            self.exact[first].append((owner, phrase))
        else:
            self.by_stem[_stem(first)].append((owner, phrase))

    def candidates(self, word: str) -> list[tuple[str, tuple[str, ...]]]:
        """Phrases whose first word the text word is a form of (memoised: vocabularies repeat)."""
        hit = self.cache.get(word)
        if hit is None:
            hit = [c for c in self._candidates(word) if word_matches(word, c[1][0])]
            if len(self.cache) < 200_000:
                self.cache[word] = hit
        return hit

    def _candidates(self, word: str):
        yield from self.exact.get(word, ())
        n = len(word)
        seen: set[str] = set()
        for end in range(n, 3, -1):  # stems that are prefixes of the word
            key = word[:end]
            if key in self.by_stem and key not in seen:
                seen.add(key)
                yield from self.by_stem[key]
        for start in range(3, n - 4):  # compound heads: stems ending at most MAX_ENDING before the end
            for end in range(n, max(start + 4, n - MAX_ENDING - 2) - 1, -1):
                key = word[start:end]
                if key in self.by_stem and key not in seen:
                    seen.add(key)
                    yield from self.by_stem[key]

    def find(self, words: list[str]) -> list[tuple[str, int, int]]:
        """(owner, start, end) for every phrase occurrence in the words."""
        out = []
        for i, word in enumerate(words):
            for owner, phrase in self.candidates(word):
                end = i + len(phrase)
                if end <= len(words) and all(
                    word_matches(w, p) for w, p in zip(words[i + 1 : end], phrase[1:], strict=True)
                ):
                    out.append((owner, i, end))
        return out


def compile_lexicon(
    rows: list[dict[str, str]], related: dict[str, tuple[str, ...]]
) -> list[tuple[str, str, str]]:
    """The lexicon's rows turned into what the matcher reads: ``(good, kind, value)`` with ``kind`` one of
    ``phrase``, ``not``, ``with`` (normalised words), ``like`` (a good) or ``code`` (the good's first CPV
    code). Harvests the CPV labels and drops their false friends: slow (every CPV label is normalised),
    so the result is shipped (``COMPILED``) and rebuilt with ``python -m fairprocure.classify.goods``."""
    labels = cpv_labels()
    out: list[tuple[str, str, str]] = []
    harvested: list[tuple[str, tuple[str, ...], str]] = []  # (good, words, language)
    codes: dict[str, set[str]] = defaultdict(set)  # good -> the CPV codes whose labels name it
    goods: set[str] = set()
    for n, row in enumerate(rows, start=2):
        good, kind, value = row["good"], row["kind"], row["value"]
        if kind not in KINDS:
            raise ValueError(f"{LEXICON}, row {n}, field kind: {kind!r} is not one of {KINDS}")
        goods.add(good)
        if kind == "like":
            out.append((good, "like", value))
        elif kind == "cpv":
            for code in value.split():
                if code not in labels:
                    raise ValueError(f"{LEXICON}, row {n}, field value: {code} is not a CPV code")
                if not codes[good]:
                    out.append((good, "code", code))
                codes[good].add(code)
                for lang, label in labels[code].items():
                    words = tuple(normalise(label).split())
                    if words and len(words) <= MAX_LABEL_WORDS:
                        harvested.append((good, words, lang))
        else:
            for text in value.split("|"):
                words = tuple(normalise(text).split())
                if not words or (len(words) == 1 and words[0] in BLOCKED):
                    continue
                if len(words) == 1 and len(words[0]) < MIN_SINGLE and words[0] not in SHORT_SINGLE:
                    raise ValueError(
                        f"{LEXICON}, row {n}: the one-word phrase {text!r} is too short to be safe"
                    )
                out.append((good, kind, " ".join(words)))
    unknown = {value for _, kind, value in out if kind == "like"} - goods
    if unknown:
        raise ValueError(f"{LEXICON}: 'like' names goods with no words: {sorted(unknown)}")
    out += [
        (good, "phrase", " ".join(words))
        for good, words in _without_false_friends(harvested, labels, codes, related)
    ]
    return list(dict.fromkeys(out))


class GoodsMatcher:
    """Finds the listed goods a description names, from the compiled lexicon."""

    def __init__(self, compiled: list[tuple[str, str, str]]):
        self.phrases = _PhraseSet()
        self.masks = _PhraseSet()
        self.qualifiers = _PhraseSet()
        self.like: dict[str, list[str]] = defaultdict(list)  # good -> goods whose words it borrows
        self.first_code: dict[str, str] = {}
        self.goods: set[str] = set()
        targets = {"phrase": self.phrases, "not": self.masks, "with": self.qualifiers}
        for good, kind, value in compiled:
            self.goods.add(good)
            if kind == "like":
                self.like[good].append(value)
            elif kind == "code":
                self.first_code.setdefault(good, value)
            else:
                targets[kind].add(good, tuple(value.split()))

    def code_of(self, good: str) -> str | None:
        """The CPV code that names a good best (the first of its lexicon codes), if any."""
        return self.first_code.get(good)

    def match(self, text: str | None) -> tuple[GoodMatch, ...]:
        words = normalise(text).split()
        if not words:
            return ()
        masked: dict[str, set[int]] = defaultdict(set)
        for good, start, end in self.masks.find(words):
            masked[good].update(range(start, end))
        found: dict[str, str] = {}
        for good, start, end in sorted(self.phrases.find(words), key=lambda m: (m[1], -(m[2] - m[1]))):
            if good not in found and not masked[good].intersection(range(start, end)):
                found[good] = " ".join(words[start:end])
        qualifiers: dict[str, str] = {}
        for good, start, end in self.qualifiers.find(words):
            qualifiers.setdefault(good, " ".join(words[start:end]))
        for good, borrowed in self.like.items():
            if good in found or good not in qualifiers:
                continue
            base = next((found[b] for b in borrowed if b in found), None)
            if base is not None:
                found[good] = f"{qualifiers[good]} {base}"
        return tuple(GoodMatch(g, found[g]) for g in sorted(found))


def _without_false_friends(
    harvested: list[tuple[str, tuple[str, ...], str]],
    labels: dict[str, dict[str, str]],
    codes: dict[str, set[str]],
    related: dict[str, tuple[str, ...]],
) -> list[tuple[str, tuple[str, ...]]]:
    """Harvested label phrases, less the one-word ones that are ambiguous across languages.

    A one-word label is dropped when it is shorter than ``MIN_HARVESTED`` letters ("the" is French for tea,
    "frais" is French for fresh) or when another CPV label, in any language, has a different form of the
    word that is not about the good (Czech "kabelky", handbags, against German "Kabeln", cables; French
    "couvertures", blankets, against "couverture", roofing; Portuguese "legumes", vegetables, is not
    pulses). Labels of codes under the good's own CPV prefixes (``related``) do not count.
    """
    single = _PhraseSet()
    for good, words, _ in harvested:
        if len(words) == 1 and len(words[0]) >= MIN_HARVESTED:
            single.add(good, words)
    friends: set[tuple[str, str]] = set()
    for code, by_lang in labels.items():
        for label in by_lang.values():
            for word in set(normalise(label).split()):
                for good, (phrase_word,) in single.candidates(word):
                    if (
                        code not in codes[good]
                        and not code.startswith(related.get(good, ()))
                        and (word == phrase_word or _inflected(word, phrase_word, _stem(phrase_word)))
                    ):
                        friends.add((good, phrase_word))
    out = []
    for good, words, _ in harvested:
        if len(words) == 1 and (len(words[0]) < MIN_HARVESTED or (good, words[0]) in friends):
            continue
        out.append((good, words))
    return out


def _related() -> dict[str, tuple[str, ...]]:
    from fairprocure.reference.ilab import goods_taxonomy

    return {good: prefixes for good, (_, prefixes) in goods_taxonomy().items()}


def _lexicon_rows() -> list[dict[str, str]]:
    with data_path(LEXICON).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def goods_matcher() -> GoodsMatcher:
    """The matcher of the shipped, compiled lexicon."""
    with data_path(COMPILED).open(encoding="utf-8") as f:
        return GoodsMatcher([(r["good"], r["kind"], r["value"]) for r in csv.DictReader(f)])


def write_compiled(path=None) -> int:
    """Compile the lexicon and write it where the matcher reads it; returns the number of rows."""
    rows = compile_lexicon(_lexicon_rows(), _related())
    with open(path or data_path(COMPILED), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["good", "kind", "value"])
        writer.writerows(rows)
    return len(rows)


def encode(matches: tuple[GoodMatch, ...] | list[GoodMatch]) -> str:
    """One string per line for the engine: ``good=words;good=words``."""
    return ";".join(f"{m.good}={m.words}" for m in matches)


def decode(value: str | None) -> list[GoodMatch]:
    if not value:
        return []
    return [GoodMatch(*part.split("=", 1)) for part in value.split(";")]


if __name__ == "__main__":
    print(f"{write_compiled()} rows written to {data_path(COMPILED)}")
