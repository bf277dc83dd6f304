"""Retrain the text model on an organisation's decided descriptions, and measure what it learned.

``python -m fairprocure.web.review.retrain WORKDIR`` (the workspace runs it as a background process; no
Django here, the library only) reads ``WORKDIR/decisions.csv`` — the decision file of
``fairprocure screen --decisions`` — and writes ``WORKDIR/model.npz`` and ``WORKDIR/result.json``
(or ``WORKDIR/error.json``).

The model is the library's (:mod:`fairprocure.classify.train`, the ``--extra`` path): the shipped
labelled text plus each decided description as a labelled example, weighted like a real notice. A
decision names a category and usually a CPV code (the candidate the person picked); a category-only
decision is learned under the category's most general CPV code.

The learning is measured on the organisation's own decisions: a fifth of the decided descriptions
(chosen by a hash of their normalised text, so the same text is never on both sides) are held out; the
shipped model and a model retrained on the other four fifths each classify them, and the share whose
risk category is the one the person decided is the accuracy before and after. The model then put in
use is retrained on every decided description.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from fairprocure.classify.data import Example
from fairprocure.classify.decisions import load_decisions
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import category_for_cpv, load_taxonomy

HELD_OUT_SHARE = 0.2
MIN_TO_MEASURE = 10  # fewer decided descriptions: train, but do not pretend to measure
BOILERPLATE_SHARE = 0.05  # see boilerplate()
BOILERPLATE_CATEGORIES = 3


def representative_cpv(category: str) -> str | None:
    """The most general CPV code the taxonomy files under ``category`` (e.g. 79000000), or None."""
    found = load_taxonomy().categories.get(category)
    if found is None:
        return None
    for prefix in sorted(found.cpv, key=lambda p: (len(p), p)):
        code = prefix.ljust(8, "0")[:8]
        if category_for_cpv(code) == category:
            return code
    return None


def decided_examples(decisions_csv: str | Path) -> list[tuple[Example, str]]:
    """Each decided description as a labelled example, with the category the person decided."""
    out = []
    for i, d in enumerate(load_decisions(decisions_csv).decisions):
        category = d.resolved_category
        if not d.description or not category:
            continue
        cpv = d.cpv if d.cpv and category_for_cpv(d.cpv) == category else representative_cpv(category)
        if cpv:
            out.append((Example(d.description, cpv, "", "user", f"decision:{i}"), category))
    return out


def boilerplate(decided: Sequence[tuple[Example, str]]) -> set[str]:
    """Words an organisation writes in descriptions of every kind (its place names, office names, a
    title prefix such as "United Kingdom-London:"): in at least :data:`BOILERPLATE_SHARE` of its decided
    descriptions, across at least :data:`BOILERPLATE_CATEGORIES` categories, none of which has most of
    them. They say nothing about what was bought; learned, they would pull every later description
    that has them towards whichever decided description shares them."""
    if len(decided) < MIN_TO_MEASURE:
        return set()
    seen: dict[str, Counter] = {}
    for example, category in decided:
        for word in set(normalise(example.text).split()):
            seen.setdefault(word, Counter())[category] += 1
    return {
        word
        for word, by_category in seen.items()
        if sum(by_category.values()) >= BOILERPLATE_SHARE * len(decided)
        and len(by_category) >= BOILERPLATE_CATEGORIES
        and by_category.most_common(1)[0][1] < 0.5 * sum(by_category.values())
    }


def without(examples: Sequence[Example], words: set[str]) -> list[Example]:
    """``examples`` with ``words`` taken out of their text (those left with no word are dropped)."""
    if not words:
        return list(examples)
    out = []
    for e in examples:
        kept = " ".join(w for w in normalise(e.text).split() if w not in words)
        if kept:
            out.append(Example(kept, e.cpv, e.lang, e.source, e.doc_id))
    return out


def lessons(decided: Sequence[tuple[Example, str]]) -> list[Example]:
    """What the model learns from decided descriptions: their text without the organisation's boilerplate."""
    return without([e for e, _ in decided], boilerplate(decided))


def held_out(text: str, share: float = HELD_OUT_SHARE) -> bool:
    """Whether a decided description is kept aside to measure the learning (stable, by its text)."""
    digest = hashlib.sha256(normalise(text).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def accuracy(predict: Callable[[list[str]], list], decided: Sequence[tuple[Example, str]]) -> float | None:
    """Share of ``decided`` descriptions whose predicted risk category is the decided one."""
    if not decided:
        return None
    predictions = predict([e.text for e, _ in decided])
    return sum(p.category == category for p, (_, category) in zip(predictions, decided, strict=True)) / len(
        decided
    )


def _model(examples: list[Example], base: Callable[[], list[Example]]):
    from fairprocure.classify.model import TextClassifier
    from fairprocure.classify.train import build

    arrays = build([*base(), *examples])
    return TextClassifier(arrays), arrays


def retrain(
    decisions_csv: str | Path,
    out: str | Path,
    base_examples: Callable[[], list[Example]] | None = None,
) -> dict:
    """Measure the learning on held-out decided descriptions, then train on all of them into ``out``."""
    from fairprocure.classify.model import read_model, shipped_model_path
    from fairprocure.classify.train import save, training_examples

    base = base_examples or training_examples
    started = time.perf_counter()
    decided = decided_examples(decisions_csv)
    result: dict = {"examples": len(decided), "held_out": 0, "accuracy_before": None, "accuracy_after": None}
    if len(decided) >= MIN_TO_MEASURE:
        test = [d for d in decided if held_out(d[0].text)]
        train = [d for d in decided if not held_out(d[0].text)]
        if test and train:
            # before: the model trained on the base examples alone (the shipped one, unless a test gives others)
            before = read_model(shipped_model_path()) if base_examples is None else _model([], base)[0]
            after, _ = _model(lessons(train), base)
            result |= {
                "held_out": len(test),
                "accuracy_before": accuracy(before.predict, test),
                "accuracy_after": accuracy(after.predict, test),
            }
    _, arrays = _model(lessons(decided), base)
    save(arrays, Path(out))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str]) -> int:
    work = Path(argv[0])
    try:
        result = retrain(work / "decisions.csv", work / "model.npz")
    except Exception as exc:  # the reason goes to the run; the page says it
        (work / "error.json").write_bytes(orjson.dumps({"message": f"{type(exc).__name__}: {exc}"}))
        return 2
    (work / "result.json").write_bytes(orjson.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
