"""Train the text classifier from the labelled text shipped with fairprocure.

``python -m fairprocure.classify.train [OUT.npz] [--extra LABELLED.csv ...]`` builds the model from the
CPV labels in 26 languages and all shipped TED notices — plus, with ``--extra``, your own labelled lines
(a CSV with a description and a cpv column: a coded purchase history, a TED CSV export) — and writes it
(plain arrays, no pickle). ``load_classifier()`` builds the shipped model on first use and keeps it in
the user cache, keyed by a hash of the data and of this code; set ``FAIRPROCURE_MODEL=OUT.npz`` to use
a model you trained with your own data instead.

Method: a linear classifier (SGD, modified Huber loss) over TF-IDF of hashed character 3-5-grams and
word 1-2-grams scores every CPV division; the 8-digit code is that of the nearest labelled example
(a CPV label in any language, or a TED text) on the rarer of the same n-grams, with the division score
added, so a close label in a likely division wins.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import SGDClassifier

from fairprocure.classify import features
from fairprocure.classify.data import (
    Example,
    cpv_label_examples,
    decp_examples,
    labelled_file_examples,
    ted_examples,
)
from fairprocure.classify.normalise import normalise

REAL_WEIGHT = 3.0  # a real text (notice, contract, your own line) counts as much as three vocabulary labels
ALPHA = 1e-5
EPOCHS = 5
SEED = 0
MATCH_MAX_DF = 0.0005  # n-grams in more than 0.05% of the texts are left out of the nearest-example search


def training_examples(real: Sequence[Example] | None = None) -> list[Example]:
    """CPV labels in every language plus the given real labelled texts (by default all shipped ones:
    TED notices and lots, French DECP contracts)."""
    return [*cpv_label_examples(), *(shipped_real_examples() if real is None else real)]


def shipped_real_examples() -> list[Example]:
    """The real labelled texts shipped in the package: TED notices and lots, French DECP contracts."""
    return [*ted_examples(), *decp_examples()]


def build(
    examples: Sequence[Example], featurize: Callable[[list[str]], sparse.csr_matrix] = features.counts
) -> dict[str, np.ndarray]:
    """Fit the model on labelled examples; returns the arrays ``TextClassifier`` is made of.

    ``featurize`` turns normalised texts into n-gram counts (a benchmark passes a precomputed lookup)."""
    merged: dict[tuple[str, str], float] = {}
    for e in examples:  # identical texts with one code (e.g. RU = UK labels) are learned once, weighted
        text = normalise(e.text)
        if text:
            key = (text, e.cpv)
            merged[key] = merged.get(key, 0.0) + (1.0 if e.source == "cpv_label" else REAL_WEIGHT)
    texts = [t for t, _ in merged]
    codes = np.array([c for _, c in merged])
    weights = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
    counts = featurize(texts)
    idf = features.fit_idf(counts)
    x = features.tfidf(counts, idf)

    divisions = np.array([c[:2] for c in codes])
    sgd = SGDClassifier(loss="modified_huber", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=SEED)
    sgd.fit(x, divisions, sample_weight=weights)

    # Nearest-example index: every deduplicated text, on the same n-grams less the common ones
    # (they match everything and make the search slow).
    match_idf = features.fit_idf(counts, max_df=MATCH_MAX_DF)
    # Stored compactly: coefficients as float16 (int8 rounded 59% of them to zero), the example index as the
    # counts of its rarer n-grams, n-gram by n-gram (the classifier rebuilds the unit-length TF-IDF
    # weights when it loads, without transposing anything).
    rare = counts.multiply(match_idf[np.newaxis, :] > 0).tocsc()  # by n-gram: what the search reads
    rare.eliminate_zeros()
    rare.sort_indices()
    return {
        "training_data": np.array(training_data_fingerprint(examples)),
        "idf": idf,
        "divisions": sgd.classes_.astype("U2"),
        "coef": sgd.coef_.astype(np.float16),
        "intercept": sgd.intercept_.astype(np.float32),
        "match_idf": match_idf,
        "example_codes": codes.astype("U8"),
        "example_counts": np.minimum(rare.data, 255).astype(np.uint8),
        "example_rows": rare.indices.astype(np.int32),  # for each n-gram (column), the examples having it
        "example_colptr": rare.indptr.astype(np.int64),
    }


def training_data_fingerprint(examples: Sequence[Example]) -> str:
    """A short hash of the labelled texts a model learned from (text, code, source, in order)."""
    h = hashlib.sha256()
    for e in examples:
        h.update(f"{e.text}\x1f{e.cpv}\x1f{e.source}\x1e".encode())
    return h.hexdigest()[:16]


def save(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write the model's arrays (compressed NumPy, no pickle) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from fairprocure.classify.model import shipped_model_path

    parser = argparse.ArgumentParser(
        prog="python -m fairprocure.classify.train", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("out", nargs="?", type=Path, help="where to write the model")
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="rebuild the model shipped in the package (developers; from shipped data only)",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        type=Path,
        metavar="CSV",
        help="your own labelled lines (description, cpv); repeatable; weighted like TED texts",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.shipped == (args.out is not None):
        parser.error("name the output file (and set FAIRPROCURE_MODEL to it to use it), or give --shipped")
    if args.shipped and args.extra:
        parser.error("the shipped model is trained on shipped data only; write yours to a file of its own")
    extra = [e for path in args.extra for e in labelled_file_examples(path)]
    examples = training_examples()
    if extra:
        examples = [*examples, *extra]
        print(f"{len(extra):,} labelled lines of your own added to the training data")
    out = args.out or shipped_model_path()
    save(build(examples), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
