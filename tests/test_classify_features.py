"""The text model's features are scikit-learn's, built without importing it (``classify/features.py``)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from fairprocure.classify import features
from fairprocure.classify.data import cpv_labels
from fairprocure.classify.normalise import normalise

TRICKY = [
    "",
    " ",
    "a",
    "ab",
    "a b",
    "x" * 40,
    "  two   spaces  ",
    "über straße",
    "кофе в зернах 1 кг",
    "a\tb\nc",
]


def _texts() -> list[str]:
    labels = sorted({label for by_language in cpv_labels().values() for label in by_language.values()})
    sample = labels[::80]  # about 2,500 labels in every shipped language
    return sample + [normalise(t) for t in sample] + TRICKY


def _scikit_counts(texts: list[str]):
    options = {"n_features": features.N_FEATURES, "alternate_sign": False, "norm": None, "lowercase": False}
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **options)
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=features._WORD_PATTERN, **options
    )
    return (chars.transform(texts) + words.transform(texts)).tocsr()


def test_counts_are_hashing_vectorizers_to_the_last_bit():
    texts = _texts()
    ours, theirs = features.counts(texts), _scikit_counts(texts)
    assert ours.shape == theirs.shape and ours.nnz > 100_000
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
        assert getattr(ours, name).dtype == getattr(theirs, name).dtype, name


def test_tfidf_rows_are_scaled_as_scikit_learn_scales_them():
    texts = _texts()
    idf = np.random.default_rng(3).random(features.N_FEATURES).astype(np.float32)
    ours = features.tfidf(features.counts(texts), idf)
    x = _scikit_counts(texts).astype(np.float32, copy=True)
    np.log1p(x.data, out=x.data)
    x = x @ features.sparse.diags(idf)
    x.eliminate_zeros()
    theirs = normalize(x, copy=False).tocsr()
    assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data.view(np.uint32), theirs.data.view(np.uint32))  # bit for bit
    assert ours.shape[0] == len(texts) and np.isfinite(ours.data).all()  # the empty texts' rows stay empty


def test_word_feature_is_murmurhash_as_scikit_learn_reduces_it():
    words = [w for t in _texts() for w in normalise(t).split()][:20_000]
    expected = [abs(murmurhash3_32(w, seed=0)) % features.N_FEATURES for w in words]
    assert [features.word_feature(w) for w in words] == expected


def test_reading_text_does_not_import_scikit_learn():
    code = (
        "import sys; from fairprocure.classify.model import load_classifier; "
        "load_classifier().predict(['Кофе в зернах 1 кг']); print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
