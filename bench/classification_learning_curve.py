"""How accuracy grows with labelled notices: the route to the issue's 0.85 target.

    python bench/classification_learning_curve.py [--folds 5] [--test-folds 2]

Same doc_id folds as bench/classification.py. For each held-out fold, the model is trained on the CPV
labels plus a seeded random share (0, 25, 50, 100 %) of the other folds' notices, and tested on the
held-out titles. Prints CPV-division accuracy per share.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classification import accuracy, fold_of, notices

from fairprocure.classify import train
from fairprocure.classify.data import ted_examples
from fairprocure.classify.model import TextClassifier
from fairprocure.reference.cpv import normalise_cpv

SHARES = (0.0, 0.25, 0.5, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--test-folds", type=int, default=2, help="how many folds to hold out in turn")
    args = parser.parse_args()
    rows = notices()
    folds = fold_of([r["doc_id"] for r in rows], args.folds)
    ted = ted_examples()
    results: dict[float, list[tuple[str, str | None]]] = {s: [] for s in SHARES}
    notices_used: dict[float, int] = {}
    for f in range(args.test_folds):
        test = [r for r in rows if folds[r["doc_id"]] == f]
        train_ids = sorted({e.doc_id for e in ted if folds[e.doc_id] != f})
        order = np.random.default_rng(f).permutation(len(train_ids))
        for share in SHARES:
            keep = {train_ids[j] for j in order[: int(share * len(train_ids))]}
            notices_used[share] = len(keep)
            clf = TextClassifier(train.build(train.training_examples([e for e in ted if e.doc_id in keep])))
            predictions = clf.predict([r["title"] for r in test])
            results[share] += [
                (normalise_cpv(r["cpv_main"]), p.cpv) for r, p in zip(test, predictions, strict=True)
            ]
            print(f"fold {f} share {share:.2f}: {accuracy(results[share][-len(test) :], 2):.3f}", flush=True)
    print(
        "\n| TED notices in training (per fold) | titles tested | CPV-division accuracy |\n|---:|---:|---:|"
    )
    for share in SHARES:
        print(
            f"| {notices_used[share]} ({share:.0%}) | {len(results[share])} | {accuracy(results[share], 2):.3f} |"
        )


if __name__ == "__main__":
    main()
