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
from fairprocure.messages import MESSAGE, Kind, Number, template

MODEL_VERSION = "1"
# Confidence = sigmoid(A * division score + B * its margin + C * example similarity + D); fitted on out-of-fold
# predictions of the TED notices by ``python bench/classification.py`` (see docs/classification.md).
CALIBRATION = (0.818, 0.928, 1.686, -0.718)
DIVISION_WEIGHT = 0.5  # chosen on one fold from 0, 0.25, 0.5, 1, 2 (docs/classification.md)
LOW_CONFIDENCE = 0.5
EVIDENCE_TERMS = 3
MIN_TERM_LENGTH = 3
STOPWORDS = frozenset(
    [
        "and",
        "the",
        "for",
        "of",
        "der",
        "die",
        "das",
        "und",
        "fur",
        "von",
        "mit",
        "des",
        "les",
        "pour",
        "del",
        "los",
        "las",
        "por",
        "con",
        "per",
        "della",
        "dei",
        "degli",
        "na",
        "za",
        "dla",
        "ze",
        "oraz",
        "pentru",
        "si",
    ]
)
MIN_TERM_IDF = 4.0  # words in more than ~1/50 of the training texts ("der", "services") are not evidence


@dataclass(frozen=True)
class TextPrediction:
    """What the classifier says about one description."""

    cpv: str | None  # 8-digit CPV code, None when the text says nothing usable
    category: str  # taxonomy category id, "unclassified" when nothing usable
    confidence: float  # calibrated probability that the category is right, 0..1
    evidence: str  # short, human-readable reason: a fairprocure.messages.Message (English, translatable)


NEAREST = template(
    "class.nearest",
    "nearest CPV %(cpv)s '%(label)s' (similarity %(similarity)s); terms: %(terms)s",
    similarity=Number(".2f"),
    terms=Kind("text", many=True),
)
NEAREST_NO_TERMS = template(
    "class.nearest_no_terms",
    "nearest CPV %(cpv)s '%(label)s' (similarity %(similarity)s)",
    similarity=Number(".2f"),
)
LOW_CONFIDENCE_TEXT = template("class.low_confidence", "low confidence: %(reason)s", reason=MESSAGE)
NO_TEXT = template("class.unusable", "no usable description")
UNUSABLE = TextPrediction(cpv=None, category=UNCLASSIFIED, confidence=0.0, evidence=NO_TEXT())


class TextClassifier:
    """Division scores from a linear model, then the nearest labelled example weighted by them."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.idf = arrays["idf"]
        self.divisions = arrays["divisions"]
        self.coef_t = np.ascontiguousarray(arrays["coef"].T)
        self.intercept = arrays["intercept"]
        self.coef_mean = self.coef_t.mean(axis=1)
        self.match_idf = arrays["match_idf"]
        self.example_codes = arrays["example_codes"]
        examples = sparse.csr_matrix(
            (arrays["example_data"], arrays["example_indices"], arrays["example_indptr"]),
            shape=(len(self.example_codes), features.N_FEATURES),
        )
        self.examples_t = examples.T.tocsr()
        position = {d: i for i, d in enumerate(self.divisions)}
        self.example_division = np.array([position[c[:2]] for c in self.example_codes])

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        """Classify a batch of descriptions (titles and/or longer text, any language)."""
        out = [UNUSABLE] * len(texts)
        scored = self.scores(texts)
        if scored is None:
            return out
        used, norm, counts, scores = scored
        choice = self.choose(counts, scores)
        labels = cpv_labels()
        for k, i in enumerate(used):
            code, division_idx, similarity = choice[k]
            confidence = calibrate(scores[k], division_idx, similarity)
            terms = self._terms(norm[k], division_idx)
            said = {
                "cpv": code,
                "label": labels[code].get("en", code),
                "similarity": round(float(similarity), 2),
            }
            message = NEAREST(**said, terms=list(terms)) if terms else NEAREST_NO_TERMS(**said)
            if confidence < LOW_CONFIDENCE:
                message = LOW_CONFIDENCE_TEXT(reason=message)
            category = category_for_cpv(code) or UNCLASSIFIED
            out[i] = TextPrediction(code, category, confidence, message)
        return out

    def scores(self, texts: list[str]):
        """Division scores of the usable texts: (their positions, normalised texts, n-gram counts,
        scores array texts x divisions), or None if no text is usable."""
        norm_all = [normalise(t) for t in texts]
        used = [i for i, t in enumerate(norm_all) if t]
        if not used:
            return None
        norm = [norm_all[i] for i in used]
        counts = features.counts(norm)
        return used, norm, counts, features.tfidf(counts, self.idf) @ self.coef_t + self.intercept

    def choose(self, counts: sparse.csr_matrix, scores: np.ndarray) -> list[tuple[str, int, float]]:
        """(CPV code, division index, similarity) per text: the labelled example maximising its
        similarity plus ``DIVISION_WEIGHT`` x the score of its division; the best division's own
        code when no example shares a distinctive n-gram with the text."""
        sims = (features.tfidf(counts, self.match_idf) @ self.examples_t).tocsr()
        fallback = np.argmax(scores, axis=1)
        out = []
        for k in range(counts.shape[0]):
            start, end = sims.indptr[k], sims.indptr[k + 1]
            rows, values = sims.indices[start:end], sims.data[start:end]
            divisions = self.example_division[rows]
            if end > start:
                j = int(np.argmax(values + DIVISION_WEIGHT * scores[k, divisions]))
                out.append((str(self.example_codes[rows[j]]), int(divisions[j]), float(values[j])))
            else:
                d = int(fallback[k])
                out.append((str(self.divisions[d]) + "000000", d, 0.0))
        return out

    def _terms(self, text: str, division_idx: int) -> list[str]:
        """The words of the text that pushed hardest towards the predicted division."""
        columns = {w: features.word_feature(w) for w in set(text.split()) if len(w) >= MIN_TERM_LENGTH}
        weights = {
            w: self.coef_t[j, division_idx] - self.coef_mean[j]
            for w, j in columns.items()
            if self.idf[j] >= MIN_TERM_IDF and w not in STOPWORDS
        }
        ranked = sorted((w for w, v in weights.items() if v > 0), key=lambda w: -weights[w])
        return ranked[:EVIDENCE_TERMS]


def calibrate(scores: np.ndarray, division_idx: int, similarity: float) -> float:
    """Probability that the category is right, from the chosen division's score, its margin over
    the best other division, and the similarity of the nearest example."""
    chosen = float(scores[division_idx])
    other = float(np.max(np.delete(scores, division_idx))) if len(scores) > 1 else 0.0
    a, b, c, d = CALIBRATION
    return 1.0 / (1.0 + math.exp(-(a * chosen + b * (chosen - other) + c * similarity + d)))


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
    """The classifier: ``$FAIRPROCURE_MODEL`` if set (a model trained with your own data), else the
    shipped one, built from shipped data on first use and cached."""
    from fairprocure.classify import train

    own = os.environ.get("FAIRPROCURE_MODEL")
    if own:
        if not Path(own).is_file():
            raise FileNotFoundError(
                f"FAIRPROCURE_MODEL={own}: no such model file (train one with python -m fairprocure.classify.train OUT.npz --extra FILE.csv)"
            )
        with np.load(own) as npz:
            return TextClassifier({k: npz[k] for k in npz.files})
    path = cache_path()
    if not path.exists():
        train.save(train.build(train.training_examples()), path)
    with np.load(path) as npz:
        return TextClassifier({k: npz[k] for k in npz.files})
