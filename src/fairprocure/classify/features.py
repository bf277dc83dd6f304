"""Turn normalised text into TF-IDF vectors: hashed character n-grams plus word uni- and bi-grams.

Hashing needs no stored vocabulary, so the only learned part is the IDF vector. The word features
can be traced back to the words that produced them, which is what the evidence shows.

The features are exactly those of scikit-learn's ``HashingVectorizer`` (``char_wb`` 3- to 5-grams
plus word 1- and 2-grams, MurmurHash3 with seed 0, no alternate sign), built here with ``mmh3``
so that reading text does not import scikit-learn (about a second in each worker process);
``tests/test_classify_features.py`` checks them against scikit-learn's.
"""

from __future__ import annotations

import itertools
import re

import mmh3
import numpy as np
from scipy import sparse

N_FEATURES = 2**18
_WORD_PATTERN = r"(?u)\b\w\w+\b"
_WORDS = re.compile(_WORD_PATTERN)
_WHITE_SPACES = re.compile(r"\s\s+")
CHAR_NGRAMS = (3, 5)


def _column(feature: str) -> int:
    """The hashed column of one feature, as ``HashingVectorizer`` computes it (``abs(-2**31)`` included)."""
    h = mmh3.hash(feature, 0)
    return (2147483647 - (N_FEATURES - 1)) % N_FEATURES if h == -2147483648 else abs(h) % N_FEATURES


def _char_grams(word: str) -> list[str]:
    """One word's character n-grams, the word padded with a space: scikit-learn's ``char_wb`` analyser."""
    out = []
    add = out.append
    low, high = CHAR_NGRAMS
    word = f" {word} "
    length = len(word)
    for n in range(low, high + 1):
        offset = 0
        add(word[:n])
        while offset + n < length:
            offset += 1
            add(word[offset : offset + n])
        if offset == 0:  # a word shorter than n counts once
            break
    return out


class _Columns(dict):
    """Feature -> hashed column, each feature hashed the first time it is asked for."""

    def __missing__(self, feature: str) -> int:
        column = self[feature] = _column(feature)
        return column


def counts(texts: list[str]) -> sparse.csr_matrix:
    """Raw n-gram counts of already normalised texts (each row's columns in ascending order): each
    text's character n-grams inside word boundaries, then its words and word pairs (scikit-learn's
    ``char_wb`` and ``word`` analysers)."""
    columns = _Columns()  # n-grams repeat across texts: each is hashed once per call
    column = columns.__getitem__
    grams: dict[str, list[int]] = {}  # a word's n-gram columns, made once per call (words repeat more)
    found: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        start = len(found)
        for word in _WHITE_SPACES.sub(" ", text).split():
            word_columns = grams.get(word)
            if word_columns is None:
                word_columns = grams[word] = list(map(column, _char_grams(word)))
            found += word_columns
        words = _WORDS.findall(text)
        found += map(column, words)
        found += map(column, [f"{a} {b}" for a, b in itertools.pairwise(words)])
        lengths[i] = len(found) - start
    rows = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    ones = np.ones(len(found), dtype=np.float64)
    x = sparse.csr_matrix((ones, (rows, np.array(found, dtype=np.int32))), shape=(len(texts), N_FEATURES))
    x.sum_duplicates()  # also sorts each row's columns, as scikit-learn's does
    return x


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
    return _unit_rows(x).tocsr()


def _unit_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row divided by its Euclidean length, in place, with scikit-learn's ``normalize`` arithmetic:
    squares in the data's type, added in row order in double precision, the division in double."""
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    squares = (x.data * x.data).astype(np.float64)
    norms = np.sqrt(np.bincount(rows, weights=squares, minlength=x.shape[0]))
    norms[norms == 0.0] = 1.0  # an empty row stays as it is
    x.data /= norms[rows]
    return x


def word_feature(word: str) -> int:
    """Column of a single word in the hashed feature space (as ``HashingVectorizer`` computes it)."""
    return _column(word)
