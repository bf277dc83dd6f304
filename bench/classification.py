"""Evaluate the text classifier on real labelled procurement text, fit its calibration, and time it.

    OMP_NUM_THREADS=1 taskset -c 0 python bench/classification.py [--folds 5] [--skip-throughput]
    python bench/classification.py --reuse /tmp/oof.pkl      # re-report from saved out-of-fold readings

Data: the TED notices (development half; titles, and title + first 300 characters of the short
description) and the French DECP contracts (development half; the contract's subject) shipped in the
package. Both are split into k folds by *procurement*: a TED notice's forms, lots and translations share a
``doc_id``; a DECP contract's repeats, modifications and the lots of one tender share a contract group
(``fairprocure.classify.data.decp_examples``). For each fold the model is trained on the CPV labels plus
the real texts of the other folds and tested on the held-out procurements, so no test text, nor any
translation or lot of it, is ever trained on.

Calibration is *cross-fitted*: the probabilities reported for fold f come from a calibration fitted on the
other folds' out-of-fold readings only. The final CALIBRATION printed at the end (fitted on every fold)
is the one to put in ``fairprocure/classify/model.py``. Every figure in docs/classification.md is printed
here.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from fairprocure.classify import features, train
from fairprocure.classify.data import (
    DESCRIPTION_CHARS,
    _read_csv_gz,
    cpv_label_examples,
    decp_examples,
    ted_examples,
)
from fairprocure.classify.goods import goods_matcher
from fairprocure.classify.keywords import KeywordClassifier
from fairprocure.classify.model import (
    CALIBRATION,
    TextClassifier,
    _softmax_with_other,
    by_category,
    candidate_features,
    load_classifier,
)
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import UNCLASSIFIED, category_for_cpv, load_taxonomy, normalise_cpv
from fairprocure.classify.terms import term_reader
from fairprocure.engine.plan import NOT_GOODS
from fairprocure.reference.ilab import goods_taxonomy

SEED = 0
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
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


def test_sets() -> dict[str, list[tuple[str, str, str, str]]]:
    """setting -> [(doc_id, language, text, true CPV code)]."""
    ted = notices()
    return {
        "TED titles": [(r["doc_id"], r["form_lang"], r["title"], normalise_cpv(r["cpv_main"])) for r in ted],
        "TED title + description": [
            (
                r["doc_id"],
                r["form_lang"],
                r["title"] + "\n" + r["short_descr"][:DESCRIPTION_CHARS],
                normalise_cpv(r["cpv_main"]),
            )
            for r in ted
        ],
        "DECP contracts (FR)": [(e.doc_id, "FR", e.text, e.cpv) for e in decp_examples()],
    }


class Lookup:
    """N-gram counts of every text the benchmark meets, computed once and sliced per fold."""

    def __init__(self, texts: list[str]):
        self.row = {t: i for i, t in enumerate(dict.fromkeys(texts))}
        self.matrix = features.counts(list(self.row)).tocsr()

    def __call__(self, texts: list[str]) -> sparse.csr_matrix:
        return self.matrix[[self.row[t] for t in texts]]


def out_of_fold(k: int) -> list[dict]:
    """Train k models and read every test text with the one that never saw its procurement."""
    sets = test_sets()
    real = [*ted_examples(), *decp_examples()]
    folds = fold_of([e.doc_id for e in real] + [d for rows in sets.values() for d, *_ in rows], k)
    start = time.perf_counter()
    labels = cpv_label_examples()
    lookup = Lookup(
        [normalise(e.text) for e in [*labels, *real]]
        + [normalise(t) for rows in sets.values() for _, _, t, _ in rows]
    )
    print(f"n-grams of {len(lookup.row):,} distinct texts: {time.perf_counter() - start:.0f} s", flush=True)
    keywords = KeywordClassifier()
    records: list[dict] = []
    for f in range(k):
        start = time.perf_counter()
        arrays = train.build(train.training_examples([e for e in real if folds[e.doc_id] != f]), lookup)
        clf = TextClassifier(arrays)
        for setting, rows in sets.items():
            test = [r for r in rows if folds[r[0]] == f]
            texts = [t for _, _, t, _ in test]
            kw = keywords.predict(texts)
            scored = clf.scores(texts)
            readings: dict[int, tuple] = {}
            if scored is not None:
                used, norm, counts, scores = scored
                known = clf.known_share(norm)
                for j, cands in enumerate(clf.candidates(counts, scores)):
                    readings[used[j]] = (cands, float(known[j]))
            for i, (_, lang, text, truth) in enumerate(test):
                cands, known = readings.get(i, ([], 1.0))
                records.append(
                    {
                        "fold": f,
                        "setting": setting,
                        "lang": lang.upper(),
                        "text": text,
                        "truth": truth,
                        "candidates": cands,
                        "known": known,
                        "keywords": kw[i].cpv,
                    }
                )
        print(f"fold {f + 1}/{k}: trained and read in {time.perf_counter() - start:.0f} s", flush=True)
    return records


# Calibration: a conditional logit over each text's candidate readings and "none of these", fitted to say
# how often the *category* is right (its candidates' probabilities added up).


def _design(records: list[dict]):
    n = len(records)
    m = max((len(r["candidates"]) for r in records), default=1)
    x = np.zeros((n, m, 4))
    valid = np.zeros((n, m), dtype=bool)
    right = np.zeros((n, m), dtype=bool)
    known = np.array([r["known"] for r in records])
    for i, r in enumerate(records):
        cands = r["candidates"]
        if not cands:
            continue
        x[i, : len(cands)] = candidate_features(cands)
        valid[i, : len(cands)] = True
        true_category = category_for_cpv(r["truth"])
        right[i, : len(cands)] = [category_for_cpv(c[0]) == true_category for c in cands]
    return x, valid, right, known


def _nll(params: np.ndarray, x, valid, right, known) -> float:
    z = np.where(valid, x @ params[:4], -np.inf)
    other = params[4] + params[5] * known
    top = np.maximum(z.max(axis=1), other)
    e = np.exp(z - top[:, None])
    eo = np.exp(other - top)
    total = e.sum(axis=1) + eo
    good = np.where(right.any(axis=1), (e * right).sum(axis=1), eo)
    return float(-np.mean(np.log(good / total + 1e-12)) + 1e-4 * np.sum(params**2))


def fit_calibration(records: list[dict]) -> tuple[float, ...]:
    usable = [r for r in records if r["candidates"]]
    args = _design(usable)
    result = minimize(_nll, np.array(CALIBRATION, dtype=float), args=args, method="L-BFGS-B")
    return tuple(float(v) for v in result.x)


def read(record: dict, calibration: tuple[float, ...]) -> tuple[str | None, str, float]:
    """(predicted CPV code, category, confidence) of one record under a calibration."""
    cands = record["candidates"]
    if not cands:
        return None, UNCLASSIFIED, 0.0
    probs = _softmax_with_other(candidate_features(cands), record["known"], calibration)
    category, confidence, reading = by_category(cands, probs)[0]
    return reading[0], category, confidence


def cross_fitted(records: list[dict], k: int) -> None:
    """Add each record's reading under a calibration fitted on the other folds only."""
    for f in range(k):
        calibration = fit_calibration([r for r in records if r["fold"] != f])
        for r in records:
            if r["fold"] == f:
                r["cpv"], r["category"], r["confidence"] = read(r, calibration)


# Reports


def accuracy(pairs: list[tuple[str, str | None]], digits: int) -> float:
    return float(np.mean([p is not None and t[:digits] == p[:digits] for t, p in pairs])) if pairs else 0.0


def category_accuracy(pairs: list[tuple[str, str | None]]) -> float:
    return float(
        np.mean([category_for_cpv(t) == (category_for_cpv(p) if p else UNCLASSIFIED) for t, p in pairs])
    )


def report_accuracy(setting: str, rows: list[dict]) -> None:
    print(f"\n### {setting}\n")
    print(
        "| language | rows | division | group | category | sure: coverage | sure: precision "
        "| keywords division |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    langs = sorted(Counter(r["lang"] for r in rows).items(), key=lambda kv: -kv[1])
    for lang, n in [("ALL", len(rows)), *langs]:
        sel = [r for r in rows if lang in ("ALL", r["lang"])]
        pairs = [(r["truth"], r["cpv"]) for r in sel]
        sure = [r for r in sel if r["confidence"] >= SURE]
        precision = np.mean([category_for_cpv(r["truth"]) == r["category"] for r in sure]) if sure else 0
        print(
            f"| {lang} | {n} | {accuracy(pairs, 2):.3f} | {accuracy(pairs, 3):.3f} | "
            f"{category_accuracy(pairs):.3f} | {len(sure) / n:.3f} | "
            f"{precision:.3f} | {accuracy([(r['truth'], r['keywords']) for r in sel], 2):.3f} |"
        )


def report_calibration(rows: list[dict]) -> None:
    conf = np.array([r["confidence"] for r in rows])
    ok = np.array([category_for_cpv(r["truth"]) == r["category"] for r in rows])
    print("\n| confidence | rows | mean confidence | category accuracy |\n|---|---:|---:|---:|")
    for lo in np.arange(0, 1, 0.1):
        sel = (conf >= lo) & ((conf < lo + 0.1) | (lo >= 0.9))
        if sel.any():
            print(
                f"| {lo:.1f}-{lo + 0.1:.1f} | {sel.sum()} | {conf[sel].mean():.3f} | {ok[sel].mean():.3f} |"
            )
    print(
        "\n| sure threshold | coverage | precision of sure | accuracy of needs review |\n|---:|---:|---:|---:|"
    )
    for t in THRESHOLDS:
        sure = conf >= t
        rest = ok[~sure].mean() if (~sure).any() else float("nan")
        print(f"| {t:.2f} | {sure.mean():.3f} | {ok[sure].mean():.3f} | {rest:.3f} |")


def confusion(rows: list[dict]) -> None:
    print("\n### Confusion between risk-relevant categories (TED titles; rows true, columns predicted)\n")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        true = category_for_cpv(r["truth"])
        if true in RISK_CATEGORIES:
            counts[true][r["category"] if r["category"] in RISK_CATEGORIES else "other"] += 1
    cols = [c for c in RISK_CATEGORIES if any(counts[x][c] for x in counts)] + ["other"]
    print("| true \\ predicted | n | " + " | ".join(cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    for x in RISK_CATEGORIES:
        if counts[x]:
            cells = [str(counts[x][c]) if counts[x][c] else "" for c in cols]
            print(f"| {x} | {sum(counts[x].values())} | " + " | ".join(cells) + " |")


SURE = 0.85  # the default policy's [classification] sure_threshold


def literal_readings(records: list[dict]) -> None:
    """Add what a screening reads literally before the text model (engine/plan.py): the ledger term a
    text names (``term``: its category; applies to any line) and the category of the DOL-listed goods it
    names (``good``: applies only when the good is listed for the line's country, which these notices do
    not say: measured as if it were)."""
    terms, matcher, goods = term_reader(), goods_matcher(), goods_taxonomy()
    kinds = {c: category.kind for c, category in load_taxonomy().categories.items()}
    for r in records:
        text = r.get("text")
        if text is None:
            raise SystemExit("these saved readings have no texts: rerun without --reuse")
        term = terms.read(text)
        r["term"] = term.category if term else None
        named = {goods[m.good][0] for m in matcher.match(text) if goods[m.good][0]}
        r["good"] = named.pop() if len(named) == 1 else None
        reads_service = kinds.get(r["category"]) in NOT_GOODS  # the engine's guard (engine/plan.py)
        r["good_applied"] = None if reads_service else r["good"]


def report_literal(by_setting: dict[str, list[dict]]) -> None:
    """How often the literal readings apply to held-out procurement texts and how often they are right;
    then the category a line without a code gets (term, else text) per language."""
    print("\n### Literal readings: ledger terms and named listed goods (sure, full points)\n")
    print(
        "| setting | rows | term: coverage | term: precision | named good: coverage "
        "| named good: precision | named good, text not a service: coverage | precision |"
        "\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for setting, rows in by_setting.items():
        cells = []
        for key in ("term", "good", "good_applied"):
            hit = [r for r in rows if r[key]]
            right = sum(category_for_cpv(r["truth"]) == r[key] for r in hit)
            cells += [
                f"{len(hit) / len(rows):.3f}",
                f"{right / len(hit):.3f} ({right}/{len(hit)})" if hit else "-",
            ]
        print(f"| {setting} | {len(rows)} | " + " | ".join(cells) + " |")
    named = [r for rows in by_setting.values() for r in rows if r["good"]]
    truth = [category_for_cpv(r["truth"]) for r in named]
    good, text = (sum(t == r[k] for t, r in zip(truth, named, strict=True)) for k in ("good", "category"))
    guarded = sum(t == (r["good_applied"] or r["category"]) for t, r in zip(truth, named, strict=True))
    print(
        f"\nAll settings, texts naming goods of one category: {len(named)}; the notice's category is the "
        f"good's {good}, the text model's {text}, the good's unless the text reads as a service {guarded}"
    )
    for setting, rows in by_setting.items():
        print(f"\n### {setting}: category of a line without a code (ledger term, else text model)\n")
        print(
            "| language | rows | category: text | category: term, else text | sure: coverage "
            "| sure: precision |\n|---|---:|---:|---:|---:|---:|"
        )
        langs = sorted(Counter(r["lang"] for r in rows).items(), key=lambda kv: -kv[1])
        for lang, n in [("ALL", len(rows)), *langs]:
            sel = [r for r in rows if lang in ("ALL", r["lang"])]
            truth = [category_for_cpv(r["truth"]) for r in sel]
            text = np.mean([t == r["category"] for t, r in zip(truth, sel, strict=True)])
            final = [r["term"] or r["category"] for r in sel]
            both = np.mean([t == c for t, c in zip(truth, final, strict=True)])
            sure = [
                (t, c)
                for t, c, r in zip(truth, final, sel, strict=True)
                if r["term"] or r["confidence"] >= SURE
            ]
            precision = np.mean([t == c for t, c in sure]) if sure else 0.0
            print(f"| {lang} | {n} | {text:.3f} | {both:.3f} | {len(sure) / n:.3f} | {precision:.3f} |")


def evaluate(k: int, reuse: Path | None, save: Path | None) -> None:
    if reuse:
        records = pickle.loads(reuse.read_bytes())
    else:
        records = out_of_fold(k)
        if save:
            save.write_bytes(pickle.dumps(records))
    k = max(r["fold"] for r in records) + 1
    cross_fitted(records, k)
    print(f"\n## Out-of-fold accuracy, {k} folds by procurement (seed {SEED}); calibration cross-fitted")
    print(f"'sure' = confidence >= {SURE}")
    by_setting: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_setting[r["setting"]].append(r)
    for setting, rows in by_setting.items():
        report_accuracy(setting, rows)
    for setting, rows in by_setting.items():
        print(f"\n### Calibration: {setting}")
        report_calibration(rows)
    print("\n### Calibration: all readings pooled")
    report_calibration(records)
    confusion(by_setting["TED titles"])
    literal_readings(records)
    report_literal(by_setting)
    final = fit_calibration(records)
    print(f"\nCALIBRATION = ({', '.join(f'{v:.3f}' for v in final)})  # fitted on every fold's readings")


def throughput(n: int = 20000) -> None:
    texts = list(dict.fromkeys(e.text[:120] for e in ted_examples() if e.source in ("title", "lot_title")))
    texts = [f"{texts[i % len(texts)]} {i // len(texts) or ''}".strip() for i in range(n)]
    start = time.perf_counter()
    clf = load_classifier()
    load = time.perf_counter() - start
    clf.predict(texts[:500])  # warm-up
    start = time.perf_counter()
    cpu = time.process_time()
    for i in range(0, n, 5000):
        clf.predict(texts[i : i + 5000])
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    matcher, terms = goods_matcher(), term_reader()
    literal = time.process_time()
    for text in texts:
        matcher.match(text)
        terms.read(text)
    literal = time.process_time() - literal
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_len = np.mean([len(t) for t in texts])
    print("\n## Throughput (one process; run under taskset -c 0 for one core)\n")
    print(f"load: {load:.1f} s; {n} distinct descriptions (mean {mean_len:.0f} chars) in {elapsed:.2f} s")
    print(f"= {n / elapsed:.0f} descriptions/s ({n / cpu:.0f} per CPU-second); peak RSS {rss:.0f} MB")
    print(
        f"named goods and ledger terms: {n / literal:.0f} per CPU-second; text model, goods and terms "
        f"together: {n / (cpu + literal):.0f} descriptions per CPU-second"
    )


def main() -> None:
    global SURE
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--save", type=Path, help="keep the out-of-fold readings in this file")
    parser.add_argument("--reuse", type=Path, help="report from out-of-fold readings saved by --save")
    parser.add_argument("--sure", type=float, default=SURE, help="the 'sure' threshold to report")
    args = parser.parse_args()
    SURE = args.sure
    if not args.skip_throughput:
        throughput()
    if not args.skip_accuracy:
        evaluate(args.folds, args.reuse, args.save)


if __name__ == "__main__":
    main()
