"""Turn normalised text into TF-IDF vectors: hashed character n-grams plus word uni- and bi-grams.

Hashing needs no stored vocabulary, so the only learned part is the IDF vector. The word features
can be traced back to the words that produced them, which is what the evidence shows.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

N_FEATURES = 2**18
_WORD_PATTERN = r"(?u)\b\w\w+\b"

_CHARS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 5), n_features=N_FEATURES, alternate_sign=False, norm=None,
    lowercase=False,
)  # fmt: skip
_WORDS = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None,
    lowercase=False, token_pattern=_WORD_PATTERN,
)  # fmt: skip


def counts(texts: list[str]) -> sparse.csr_matrix:
    """Raw n-gram counts of already normalised texts."""
    return (_CHARS.transform(texts) + _WORDS.transform(texts)).tocsr()


def fit_idf(x: sparse.csr_matrix, max_df: float = 1.0) -> np.ndarray:
    """Smoothed inverse document frequency of every hashed feature; 0 for those in > max_df of rows."""
    df = np.bincount(x.indices, minlength=N_FEATURES)
    idf = np.log((1 + x.shape[0]) / (1 + df)) + 1
    idf[df > max_df * x.shape[0]] = 0.0
    return idf.astype(np.float32)


def tfidf(x: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sub-linear TF times IDF, each row scaled to unit length."""
    x = x.astype(np.float32, copy=True)
    np.log1p(x.data, out=x.data)
    x = x @ sparse.diags(idf)
    x.eliminate_zeros()
    return normalize(x, copy=False).tocsr()


def word_feature(word: str) -> int:
    """Column of a single word in the hashed feature space (as ``HashingVectorizer`` computes it)."""
    return abs(murmurhash3_32(word, seed=0)) % N_FEATURES
