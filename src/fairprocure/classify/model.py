"""The multilingual text classifier: description in, CPV code, risk category, confidence and evidence out.

>>> clf = load_classifier()
>>> [p.category for p in clf.predict(["Кофе в зернах 1 кг", "Servicii de pază"])]
['coffee', 'security']

The model is trained by :mod:`fairprocure.classify.train` from data shipped in the package; the first
call builds it (under a minute) into the user cache, later calls load it in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import platformdirs
from scipy import sparse

from fairprocure.classify import features
from fairprocure.classify.data import CPV_FILE, TED_LOTS_FILE, TED_NOTICES_FILE, cpv_labels
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import UNCLASSIFIED, category_for_cpv

MODEL_VERSION = "1"
# Confidence = sigmoid(A * top score + B * margin to the runner-up + C); fitted on out-of-fold
# predictions of the TED notices by ``python bench/classification.py`` (see docs/classification.md).
CALIBRATION = (4.0, 4.0, -1.5)
LOW_CONFIDENCE = 0.5
EVIDENCE_TERMS = 3
MIN_TERM_LENGTH = 3
MIN_TERM_IDF = 4.0  # words in more than ~1/50 of the training texts ("der", "services") are not evidence


@dataclass(frozen=True)
class TextPrediction:
    """What the classifier says about one description."""

    cpv: str | None  # 8-digit CPV code, None when the text says nothing usable
    category: str  # taxonomy category id, "unclassified" when nothing usable
    confidence: float  # calibrated probability that the category is right, 0..1
    evidence: str  # short, human-readable reason


UNUSABLE = TextPrediction(cpv=None, category=UNCLASSIFIED, confidence=0.0, evidence="no usable description")


class TextClassifier:
    """Division by a linear model, then the nearest CPV code centroid within that division."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.idf = arrays["idf"]
        self.divisions = arrays["divisions"]
        self.coef_t = np.ascontiguousarray(arrays["coef"].T)
        self.intercept = arrays["intercept"]
        self.codes = arrays["codes"]
        self.centroids = sparse.csr_matrix(
            (arrays["centroid_data"], arrays["centroid_indices"], arrays["centroid_indptr"]),
            shape=(len(self.codes), features.N_FEATURES),
        )
        code_divisions = np.array([c[:2] for c in self.codes])
        self._rows = {d: np.flatnonzero(code_divisions == d) for d in self.divisions}
        self._centroids_t = {d: self.centroids[rows].T.tocsr() for d, rows in self._rows.items()}

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        """Classify a batch of descriptions (titles and/or longer text, any language)."""
        out = [UNUSABLE] * len(texts)
        scored = self.scores(texts)
        if scored is None:
            return out
        used, norm, x, best_idx, best, margin = scored
        codes = self._nearest_codes(x, best_idx)
        labels = cpv_labels()
        for k, i in enumerate(used):
            code = codes[k]
            confidence = calibrate(float(best[k]), float(margin[k]))
            terms = self._terms(norm[k], best_idx[k])
            evidence = f"nearest CPV {code} '{labels[code].get('en', code)}'"
            evidence += f"; terms: {', '.join(terms)}" if terms else ""
            if confidence < LOW_CONFIDENCE:
                evidence = "low confidence: " + evidence
            out[i] = TextPrediction(code, category_for_cpv(code) or UNCLASSIFIED, confidence, evidence)
        return out

    def scores(self, texts: list[str]):
        """Raw division scores of the usable texts: (positions, normalised texts, tf-idf rows,
        best division index, best score, margin over the runner-up), or None if none is usable."""
        norm_all = [normalise(t) for t in texts]
        used = [i for i, t in enumerate(norm_all) if t]
        if not used:
            return None
        norm = [norm_all[i] for i in used]
        x = features.tfidf(features.counts(norm), self.idf)
        scores = x @ self.coef_t + self.intercept
        top2 = np.argpartition(-scores, 1, axis=1)[:, :2]
        rows = np.arange(len(used))
        first, second = scores[rows, top2[:, 0]], scores[rows, top2[:, 1]]
        swap = second > first
        best_idx = np.where(swap, top2[:, 1], top2[:, 0])
        best, runner = np.maximum(first, second), np.minimum(first, second)
        return used, norm, x, best_idx, best, best - runner

    def _nearest_codes(self, x: sparse.csr_matrix, division_idx: np.ndarray) -> list[str]:
        codes = [""] * x.shape[0]
        for d in np.unique(division_idx):
            division = self.divisions[d]
            members = np.flatnonzero(division_idx == d)
            sims = (x[members] @ self._centroids_t[division]).toarray()
            nearest = self._rows[division][sims.argmax(axis=1)]
            for m, row in zip(members, nearest, strict=True):
                codes[m] = str(self.codes[row])
        return codes

    def _terms(self, text: str, division_idx: int) -> list[str]:
        """The words of the text that pushed hardest towards the predicted division."""
        columns = {w: features.word_feature(w) for w in set(text.split()) if len(w) >= MIN_TERM_LENGTH}
        weights = {w: self.coef_t[j, division_idx] for w, j in columns.items() if self.idf[j] >= MIN_TERM_IDF}
        ranked = sorted((w for w, v in weights.items() if v > 0), key=lambda w: -weights[w])
        return ranked[:EVIDENCE_TERMS]


def calibrate(best: float, margin: float) -> float:
    """Probability that the category is right, from the top division score and its margin."""
    a, b, c = CALIBRATION
    return 1.0 / (1.0 + math.exp(-(a * best + b * margin + c)))


def _data_hash() -> str:
    h = hashlib.sha256(MODEL_VERSION.encode())
    data = files("fairprocure.reference") / "data"
    for name in (CPV_FILE, TED_NOTICES_FILE, TED_LOTS_FILE):
        h.update((data / name).read_bytes())
    here = files("fairprocure.classify")
    for module in ("train.py", "features.py", "normalise.py", "data.py"):
        h.update((here / module).read_bytes())
    return h.hexdigest()[:16]


def cache_path() -> Path:
    """Where the trained model lives: ``$FAIRPROCURE_CACHE`` or the user cache, keyed by data and code."""
    root = os.environ.get("FAIRPROCURE_CACHE") or platformdirs.user_cache_dir("fairprocure")
    return Path(root) / f"text-classifier-{_data_hash()}.npz"


@cache
def load_classifier() -> TextClassifier:
    """The shipped classifier, built from shipped data on first use and cached."""
    from fairprocure.classify import train

    path = cache_path()
    if not path.exists():
        train.save(train.build(train.training_examples()), path)
    with np.load(path) as npz:
        return TextClassifier({k: npz[k] for k in npz.files})
