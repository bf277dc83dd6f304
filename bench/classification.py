"""Evaluate the text classifier and the keyword baseline on real TED notices, and time the classifier.

    OMP_NUM_THREADS=1 taskset -c 0 python bench/classification.py [--folds 5] [--skip-throughput]

The TED notices are split by ``doc_id`` into k folds (a seeded shuffle of the notice ids), so every
form and lot of one notice, and every translation of it, is on one side. For each fold the model is
trained on the CPV labels plus the TED texts of the other folds, and tested on the titles (and on
title + short description) of the held-out notices. Every figure in docs/classification.md and the
classification section of docs/performance.md is printed by this script.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import Counter, defaultdict

import numpy as np
from sklearn.linear_model import LogisticRegression

from fairprocure.classify import train
from fairprocure.classify.data import DESCRIPTION_CHARS, _read_csv_gz, ted_examples
from fairprocure.classify.keywords import KeywordClassifier
from fairprocure.classify.model import TextClassifier, load_classifier
from fairprocure.classify.taxonomy import UNCLASSIFIED, category_for_cpv, normalise_cpv

SEED = 0
RISK_CATEGORIES = [
    "cleaning", "security", "catering", "hotels_conferences", "construction_works", "garments_textiles",
    "electronics_ict", "coffee", "facility_management", "transport_logistics", "staffing_recruitment",
    "waste", "agriculture_landscaping", "food_other",
]  # fmt: skip


def notices() -> list[dict[str, str]]:
    rows = [r for r in _read_csv_gz("ted/ted_notices.csv.gz") if normalise_cpv(r["cpv_main"])]
    return [r for r in rows if r["title"].strip()]


def fold_of(doc_ids: list[str], k: int) -> dict[str, int]:
    ids = sorted(set(doc_ids))
    order = np.random.default_rng(SEED).permutation(len(ids))
    return {ids[j]: n % k for n, j in enumerate(order)}


def accuracy(pairs: list[tuple[str, str | None]], digits: int) -> float:
    return float(np.mean([p is not None and t[:digits] == p[:digits] for t, p in pairs])) if pairs else 0.0


def category_accuracy(pairs: list[tuple[str, str | None]]) -> float:
    return float(
        np.mean([category_for_cpv(t) == (category_for_cpv(p) if p else UNCLASSIFIED) for t, p in pairs])
    )


def report(name: str, results: dict[str, list[tuple[str, str, str | None]]]) -> None:
    """results: method -> [(lang, true cpv, predicted cpv)]."""
    print(f"\n### {name}\n")
    print(
        "| language | rows | "
        + " | ".join(f"{m} division | {m} group | {m} category" for m in results)
        + " |"
    )
    print("|---|---:|" + "---:|---:|---:|" * len(results))
    first = next(iter(results.values()))
    langs = sorted(Counter(lang for lang, _, _ in first).items(), key=lambda kv: -kv[1])
    for lang, n in [("ALL", len(first)), *langs]:
        cells = []
        for rows in results.values():
            pairs = [(t, p) for lg, t, p in rows if lang in ("ALL", lg)]
            cells += [
                f"{accuracy(pairs, 2):.3f}",
                f"{accuracy(pairs, 3):.3f}",
                f"{category_accuracy(pairs):.3f}",
            ]
        print(f"| {lang} | {n} | " + " | ".join(cells) + " |")


def confusion(rows: list[tuple[str, str, str | None]]) -> None:
    print("\n### Confusion between risk-relevant categories (titles, model; rows true, columns predicted)\n")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, t, p in rows:
        true = category_for_cpv(t)
        if true in RISK_CATEGORIES:
            pred = category_for_cpv(p) if p else UNCLASSIFIED
            counts[true][pred if pred in RISK_CATEGORIES else "other"] += 1
    cols = [c for c in RISK_CATEGORIES if any(counts[r][c] for r in counts)] + ["other"]
    print("| true \\ predicted | n | " + " | ".join(cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    for r in RISK_CATEGORIES:
        if counts[r]:
            cells = [str(counts[r][c]) if counts[r][c] else "" for c in cols]
            print(f"| {r} | {sum(counts[r].values())} | " + " | ".join(cells) + " |")


def features_for_calibration(scores: np.ndarray, division_idx: int, similarity: float) -> tuple[float, ...]:
    chosen = float(scores[division_idx])
    return chosen, chosen - float(np.max(np.delete(scores, division_idx))), similarity


def calibration(records: list[tuple]) -> None:
    x = np.array([r[:-1] for r in records])
    y = np.array([r[-1] for r in records])
    lr = LogisticRegression(C=100.0).fit(x, y)
    coefs = ", ".join(f"{v:.3f}" for v in [*lr.coef_[0], lr.intercept_[0]])
    print(f"\nCALIBRATION = ({coefs})  # fitted on out-of-fold titles, category correct")
    p = lr.predict_proba(x)[:, 1]
    print("\n| confidence bin | rows | mean confidence | category accuracy |\n|---|---:|---:|---:|")
    for lo in np.arange(0, 1, 0.2):
        sel = (p >= lo) & (p < lo + 0.2 + (lo >= 0.8))
        if sel.any():
            print(f"| {lo:.1f}-{lo + 0.2:.1f} | {sel.sum()} | {p[sel].mean():.3f} | {y[sel].mean():.3f} |")


def evaluate(k: int) -> None:
    rows = notices()
    folds = fold_of([r["doc_id"] for r in rows], k)
    ted = ted_examples()
    keywords = KeywordClassifier()
    out: dict[str, dict[str, list]] = {"titles": defaultdict(list), "title + description": defaultdict(list)}
    calib: list[tuple] = []
    for f in range(k):
        start = time.perf_counter()
        clf = TextClassifier(train.build(train.training_examples([e for e in ted if folds[e.doc_id] != f])))
        test = [r for r in rows if folds[r["doc_id"]] == f]
        truth = [normalise_cpv(r["cpv_main"]) for r in test]
        langs = [r["form_lang"] for r in test]
        inputs = {
            "titles": [r["title"] for r in test],
            "title + description": [r["title"] + "\n" + r["short_descr"][:DESCRIPTION_CHARS] for r in test],
        }
        for setting, texts in inputs.items():
            for method, preds in (("model", clf.predict(texts)), ("keywords", keywords.predict(texts))):
                out[setting][method] += [(lg, t, p.cpv) for lg, t, p in zip(langs, truth, preds, strict=True)]
        scored = clf.scores(inputs["titles"])
        assert scored is not None
        used, _, counts, scores = scored
        for k_, (code, division_idx, similarity) in enumerate(clf.choose(counts, scores)):
            ok = category_for_cpv(code) == category_for_cpv(truth[used[k_]])
            calib.append((*features_for_calibration(scores[k_], division_idx, similarity), ok))
        print(f"fold {f + 1}/{k}: {len(test)} test notices, {time.perf_counter() - start:.0f} s", flush=True)
    print(f"\n## Accuracy on TED notices, {k}-fold by doc_id (seed {SEED}); model vs keyword baseline")
    for setting, results in out.items():
        report(setting, results)
    confusion(out["titles"]["model"])
    calibration(calib)


def throughput(n: int = 20000) -> None:
    texts = list(dict.fromkeys(e.text[:120] for e in ted_examples() if e.source in ("title", "lot_title")))
    texts = [f"{texts[i % len(texts)]} {i // len(texts) or ''}".strip() for i in range(n)]
    start = time.perf_counter()
    clf = load_classifier()
    load = time.perf_counter() - start
    clf.predict(texts[:500])  # warm-up
    start = time.perf_counter()
    for i in range(0, n, 5000):
        clf.predict(texts[i : i + 5000])
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_len = np.mean([len(t) for t in texts])
    print("\n## Throughput (one process; run under taskset -c 0 for one core)\n")
    print(
        f"load or build: {load:.1f} s; {n} distinct descriptions (mean {mean_len:.0f} chars) in {elapsed:.2f} s"
    )
    print(f"= {n / elapsed:.0f} descriptions/s; peak RSS {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    if not args.skip_throughput:
        throughput()
    if not args.skip_accuracy:
        evaluate(args.folds)


if __name__ == "__main__":
    main()
