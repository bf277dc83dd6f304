"""The multilingual text classifier: description in, CPV code, risk category, confidence and evidence out.

>>> clf = load_classifier()
>>> [p.category for p in clf.predict(["Кофе в зернах 1 кг", "Servicii de pază"])]
['coffee', 'security']

The model is trained by :mod:`fairprocure.classify.train` from data shipped in the package and shipped
trained (``classify/trained/text-classifier.npz``): nothing is built on first use.
"""

from __future__ import annotations

import math
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from scipy import sparse

from fairprocure.classify import features
from fairprocure.classify.data import cpv_labels
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import UNCLASSIFIED, category_for_cpv
from fairprocure.messages import Kind, Number, template

# Weights of the conditional logit over candidate readings: (division score, example similarity, no example
# matched, first choice) and "none of these" = E + F x known-word share. Fitted to "the category is right" on
# the out-of-fold readings of 5-fold cross-validation by procurement (TED notices, DECP contracts) and
# printed by ``python bench/classification.py``; used for the shipped model and for models you train.
CALIBRATION = (1.383, 2.535, 0.200, 0.679, 0.262, 0.262)
DIVISION_WEIGHT = 0.5  # chosen on one fold from 0, 0.25, 0.5, 1, 2 (docs/classification.md)
TOP_DIVISIONS = 4
MAX_CANDIDATES = 4
MIN_CANDIDATE = 0.05  # candidates below 5% are not listed (their probability stays in "none of these")
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
class Candidate:
    """One possible reading of a description: a CPV code, its category and the probability it is right."""

    cpv: str
    category: str
    probability: float


@dataclass(frozen=True)
class TextPrediction:
    """What the classifier says about one description."""

    cpv: str | None  # 8-digit CPV code, None when the text says nothing usable
    category: str  # taxonomy category id, "unclassified" when nothing usable
    confidence: float  # calibrated probability that the category is right, 0..1
    evidence: str  # short, human-readable reason: a fairprocure.messages.Message (English, translatable)
    # The categories the text may belong to, most probable first, one per category (their probabilities
    # sum to at most 1; the rest is "none of these"). Empty when nothing usable.
    candidates: tuple[Candidate, ...] = ()


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
NO_TEXT = template("class.unusable", "no usable description")
UNUSABLE = TextPrediction(cpv=None, category=UNCLASSIFIED, confidence=0.0, evidence=NO_TEXT())


Reading = tuple[str, int, float, float]  # CPV code, division index, example similarity, division score


class TextClassifier:
    """Division scores from a linear model, the nearest labelled example in each likely division, and a
    calibrated probability for each of these candidate readings."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.idf = np.asarray(arrays["idf"], dtype=np.float32)
        self.divisions = arrays["divisions"]
        self.coef_t = _float32_transposed(arrays["coef"])
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float32)
        self.coef_mean = self.coef_t.mean(axis=1)
        self.match_idf = np.asarray(arrays["match_idf"], dtype=np.float32)
        self.example_codes = arrays["example_codes"]
        n_examples = len(self.example_codes)
        if "example_counts" in arrays:  # n-gram counts, n-gram by n-gram: rebuild unit-length TF-IDF weights
            rows = np.asarray(arrays["example_rows"], dtype=np.int32)
            colptr = np.asarray(arrays["example_colptr"], dtype=np.int64)
            columns = np.repeat(np.arange(len(colptr) - 1, dtype=np.int32), np.diff(colptr))
            weights = (
                np.log1p(np.asarray(arrays["example_counts"], dtype=np.float32)) * self.match_idf[columns]
            )
            norms = np.sqrt(np.bincount(rows, weights=weights.astype(np.float64) ** 2, minlength=n_examples))
            weights /= np.maximum(norms, 1e-12).astype(np.float32)[rows]
            self.examples_t = sparse.csr_matrix(
                (weights, rows, colptr), shape=(features.N_FEATURES, n_examples)
            )
        else:  # a model written by fairprocure 0.1 stores the example rows themselves
            examples = sparse.csr_matrix(
                (arrays["example_data"], arrays["example_indices"], arrays["example_indptr"]),
                shape=(n_examples, features.N_FEATURES),
            )
            self.examples_t = examples.T.tocsr()
        position = {d: i for i, d in enumerate(self.divisions)}
        prefixes, inverse = np.unique(self.example_codes.astype("U2"), return_inverse=True)
        self.example_division = np.array([position[p] for p in prefixes])[inverse]

    def predict(self, texts: list[str]) -> list[TextPrediction]:
        """Classify a batch of descriptions (titles and/or longer text, any language)."""
        out = [UNUSABLE] * len(texts)
        scored = self.scores(texts)
        if scored is None:
            return out
        used, norm, counts, scores = scored
        labels = cpv_labels()
        known = self.known_share(norm)
        for k, cands in enumerate(self.candidates(counts, scores)):
            ranked = by_category(cands, probabilities(cands, known[k], CALIBRATION))
            category, confidence, (code, division_idx, similarity, _) = ranked[0]
            terms = self._terms(norm[k], division_idx)
            said = {
                "cpv": code,
                "label": labels.get(code, {}).get("en", code),
                "similarity": round(float(similarity), 2),
            }
            message = NEAREST(**said, terms=list(terms)) if terms else NEAREST_NO_TERMS(**said)
            candidates = tuple(
                Candidate(reading[0], cat, round(p, 4))
                for cat, p, reading in ranked[:MAX_CANDIDATES]
                if p >= MIN_CANDIDATE
            )
            out[used[k]] = TextPrediction(code, category, float(confidence), message, candidates)
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

    def known_share(self, norm: list[str]) -> np.ndarray:
        """Share of each text's words (3+ letters) that occur in the training text: unknown words ("ISA",
        a supplier's product name) leave the reading to the few words that are known."""
        out = np.ones(len(norm))
        for k, text in enumerate(norm):
            words = [w for w in text.split() if len(w) >= MIN_TERM_LENGTH]
            if words:
                out[k] = sum(self.idf[features.word_feature(w)] > 0 for w in words) / len(words)
        return out

    def candidates(self, counts: sparse.csr_matrix, scores: np.ndarray) -> list[list[Reading]]:
        """Per text, its candidate readings (CPV code, division index, similarity, division score): in each of the
        ``TOP_DIVISIONS`` best-scoring divisions (and the divisions of the two most similar examples),
        the labelled example maximising its similarity plus ``DIVISION_WEIGHT`` x the division score;
        the division's own code when no example there shares a distinctive n-gram with the text.
        The first candidate is the model's choice."""
        sims = (features.tfidf(counts, self.match_idf) @ self.examples_t).tocsr()
        top = np.argsort(-scores, axis=1)[:, :TOP_DIVISIONS]
        out = []
        for k in range(counts.shape[0]):
            start, end = sims.indptr[k], sims.indptr[k + 1]
            rows, values = sims.indices[start:end], sims.data[start:end]
            divisions = self.example_division[rows]
            wanted = list(dict.fromkeys([*top[k].tolist(), *divisions[np.argsort(-values)[:2]].tolist()]))
            cands = []
            for d in wanted:
                mask = divisions == d
                if mask.any():
                    j = int(np.argmax(values[mask]))
                    cands.append((str(self.example_codes[rows[mask][j]]), int(d), float(values[mask][j])))
                else:
                    cands.append((str(self.divisions[d]) + "000000", int(d), 0.0))
            cands = [(code, d, sim, float(scores[k, d])) for code, d, sim in cands]
            out.append(sorted(cands, key=lambda c: -(c[2] + DIVISION_WEIGHT * c[3])))
        return out

    def choose(self, counts: sparse.csr_matrix, scores: np.ndarray) -> list[tuple[str, int, float]]:
        """(CPV code, division index, similarity) per text: its best candidate."""
        return [c[0][:3] for c in self.candidates(counts, scores)]

    def _terms(self, text: str, division_idx: int) -> list[str]:
        """The words of the text that pushed hardest towards the predicted division (equal pushes in the
        text's order: a set's order would change with each process's string hashing)."""
        columns = {
            w: features.word_feature(w) for w in dict.fromkeys(text.split()) if len(w) >= MIN_TERM_LENGTH
        }
        weights = {
            w: self.coef_t[j, division_idx] - self.coef_mean[j]
            for w, j in columns.items()
            if self.idf[j] >= MIN_TERM_IDF and w not in STOPWORDS
        }
        ranked = sorted((w for w, v in weights.items() if v > 0), key=lambda w: -weights[w])
        return ranked[:EVIDENCE_TERMS]


def candidate_features(cands: list[Reading]) -> np.ndarray:
    """What the calibration weighs for each candidate: its division score, the similarity of its
    example, whether no example matched, and whether it is the model's first choice."""
    return np.array(
        [[score, sim, float(sim == 0.0), float(i == 0)] for i, (_, _, sim, score) in enumerate(cands)]
    )


def probabilities(cands: list[Reading], known: float, calibration: tuple[float, ...]) -> np.ndarray:
    """Probability of each candidate being the right division: a conditional logit over the candidates
    and "none of these" (whose score grows with the share of unknown words), fitted on out-of-fold
    predictions by ``bench/classification.py``."""
    return _softmax_with_other(candidate_features(cands), known, calibration)


def by_category(cands: list[Reading], probs: np.ndarray) -> list[tuple[str, float, Reading]]:
    """The candidates' probabilities added up by taxonomy category (as the taxonomy is now), most probable
    first, each with its most probable reading."""
    out: dict[str, list] = {}
    for reading, p in zip(cands, probs, strict=True):
        category = category_for_cpv(reading[0]) or UNCLASSIFIED
        entry = out.setdefault(category, [0.0, reading])
        entry[0] += float(p)
    return sorted(((c, p, r) for c, (p, r) in out.items()), key=lambda t: -t[1])


def _softmax_with_other(x: np.ndarray, known: float, calibration: tuple[float, ...]) -> np.ndarray:
    w = np.asarray(calibration[:4])
    other = calibration[4] + calibration[5] * known
    z = x @ w
    m = max(float(z.max()), other)
    e = np.exp(z - m)
    return e / (e.sum() + math.exp(other - m))


SHIPPED_MODEL = "trained/text-classifier.npz"  # inside fairprocure.classify; built by ``train --shipped``


def shipped_model_path() -> Path:
    """The trained model shipped in the package (``python -m fairprocure.classify.train --shipped`` makes it)."""
    return Path(str(files("fairprocure.classify") / SHIPPED_MODEL))


def _float32_transposed(a: np.ndarray) -> np.ndarray:
    """``a.T`` as C-ordered float32. Half floats are converted through a table of all 65,536 of them (the
    same values as ``astype``, in a quarter of its time), read in the array's own memory order."""
    if a.dtype != np.float16:
        return np.ascontiguousarray(np.asarray(a, dtype=np.float32).T)
    table = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)
    return np.ascontiguousarray(table[a.view(np.uint16).T])


def read_model(path: str | Path) -> TextClassifier:
    """A classifier from a model file written by :func:`fairprocure.classify.train.save`.

    The file's arrays are inflated two at a time, largest first (zlib lets go of the GIL): about 0.3
    against 0.55 s for the shipped model, which is 28 MB compressed and 59 MB inflated.
    """
    with zipfile.ZipFile(path) as archive:
        members = sorted(archive.infolist(), key=lambda m: -m.compress_size)

    def read(member: zipfile.ZipInfo) -> tuple[str, np.ndarray]:
        with zipfile.ZipFile(path) as archive, archive.open(member) as f:  # one handle per thread
            return member.filename.removesuffix(".npy"), np.lib.format.read_array(f, allow_pickle=False)

    with ThreadPoolExecutor(2) as pool:
        return TextClassifier(dict(pool.map(read, members)))


@cache
def load_classifier() -> TextClassifier:
    """The classifier: ``$FAIRPROCURE_MODEL`` if set (a model trained with your own data), else the
    one shipped trained in the package (loads in about a second; nothing is built on first use)."""
    own = os.environ.get("FAIRPROCURE_MODEL")
    if own:
        if not Path(own).is_file():
            raise FileNotFoundError(
                f"FAIRPROCURE_MODEL={own}: no such model file (train one with python -m fairprocure.classify.train OUT.npz --extra FILE.csv)"
            )
        return read_model(own)
    path = shipped_model_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: the shipped text model is missing from this installation; "
            "rebuild it with python -m fairprocure.classify.train --shipped"
        )
    return read_model(path)
