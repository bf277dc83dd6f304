"""Are two supplier names the same supplier? ``same``, ``possible`` (a person decides) or ``different``.

The rules, on normalised names (:func:`fairprocure.entities.names.normalise_name`):

- **same** when the names are equal, equal without spaces ("SUD EUROPE" / "SUDEUROPE"), or have the same
  words in any order allowing a typing slip in a long word (a word of five letters or more matches one
  at least 85 % similar; numbers and short words must match exactly). Small words ("de", "of", "the")
  are ignored here.
- **possible** when every word of one name is in the other, which has more (a branch, a region, a
  division — or another company of the same group: "COLAS" and "COLAS SUD OUEST" are one legal entity in
  some records and two in others), or when the names are at least 85 % alike word for word
  (rapidfuzz's token sort ratio). The registry suggests these to a person, never merges them itself.
- **different** otherwise.
- Names registered in **different countries** are at most ``possible``: "Ernst & Young LLP" (United Kingdom)
  and "Ernst et Young" (France) are two legal entities of one network.

The registry files a new spelling automatically only on ``same``. Precision and recall on labelled real
name pairs are in ``docs/suppliers.md`` (``python -m fairprocure.entities.evaluate``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from fairprocure.entities.names import normalise_name

SAME, POSSIBLE, DIFFERENT = "same", "possible", "different"
TYPO_RATIO = 85.0  # two long words this alike are one word mistyped
POSSIBLE_RATIO = 85.0  # two names this alike (word order aside) are worth a person's look
LONG_WORD = 5
SMALL_WORDS = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "l",
        "of",
        "the",
        "da",
        "do",
        "dos",
        "das",
        "di",
        "del",
        "della",
        "van",
        "von",
        "a",
    }
)
# Words that say what kind of business, not which: sharing only these is no reason to suggest a match.
GENERIC = frozenset(
    {
        "services", "service", "group", "groupe", "holding", "holdings", "international", "solutions",
        "systems", "trading", "enterprises", "management", "consulting", "industries", "associates",
        "partners", "global", "council", "school", "france", "uk", "europe", "company", "societe",
        "construction", "cleaning", "security", "transport", "travaux", "public", "national",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Match:
    decision: str  # same / possible / different
    score: float  # 0-100: how alike the names are, word order aside
    reason: str


def _words(normalised: str) -> list[str]:
    words = [w for w in normalised.split() if w not in SMALL_WORDS]
    return words or normalised.split()


def _lost_letters_fit(a: str, b: str) -> bool:
    """A word with letters lost in the data ("v_g_tal") fits a word with letters there ("vegetal")."""
    if "_" not in a and "_" not in b:
        return False
    if "_" in b:
        a, b = b, a
    return len(a) == len(b) and all(x == y or x == "_" for x, y in zip(a, b, strict=True))


def _alike(a: str, b: str) -> bool:
    if a == b or _lost_letters_fit(a, b):
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < LONG_WORD:
        return False
    return fuzz.ratio(a, b) >= TYPO_RATIO


def _unmatched(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """Words of ``a`` and of ``b`` left over after pairing each word with an alike one on the other side."""
    left, right = list(a), list(b)
    for exact in (True, False):
        for word in list(left):
            for other in right:
                if (word == other) if exact else _alike(word, other):
                    left.remove(word)
                    right.remove(other)
                    break
    return left, right


def match_normalised(na: str, nb: str) -> Match:
    """:func:`match` on names already normalised."""
    if not na or not nb:
        return Match(DIFFERENT, 0.0, "a name is missing")
    score = round(fuzz.token_sort_ratio(na, nb), 1)
    if na == nb:
        return Match(SAME, 100.0, "the same name once legal form, script, case and punctuation are set aside")
    if na.replace(" ", "") == nb.replace(" ", ""):
        return Match(SAME, 99.0, "the same letters, spaced differently")
    wa, wb = _words(na), _words(nb)
    left, right = _unmatched(wa, wb)
    if not left and not right:
        return Match(SAME, score, "the same words, in another order or with a typing slip")
    if not left or not right:
        shorter, rest = (wa, right) if not left else (wb, left)
        distinctive = [w for w in shorter if w not in GENERIC and not w.isdigit() and len(w) >= 3]
        if distinctive:
            return Match(
                POSSIBLE, score, f"one name has more words ({' '.join(rest)}): a branch or another company?"
            )
    if score >= POSSIBLE_RATIO:
        return Match(POSSIBLE, score, f"the names are {score:.0f} % alike")
    return Match(DIFFERENT, score, f"the names are {score:.0f} % alike")


def match(a: str | None, b: str | None, country_a: str | None = None, country_b: str | None = None) -> Match:
    """Whether supplier names ``a`` and ``b`` name the same supplier; see the module's docstring.

    ``country_a`` and ``country_b`` (ISO codes, where known) are where each is registered.
    """
    found = match_normalised(normalise_name(a), normalise_name(b))
    if found.decision == SAME and country_a and country_b and country_a != country_b:
        return Match(
            POSSIBLE, found.score, f"{found.reason}, but registered in {country_a} and in {country_b}"
        )
    return found
