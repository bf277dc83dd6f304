"""What retraining on an organisation's decided descriptions teaches the text model (issue 9, item 6).

    python bench/review_learning.py [--decisions FILE] [--folds 5] [--max-folds N]

The decided descriptions are a decision file (``fairprocure screen --decisions`` format, e.g. the review
queue's download) or, by default, a buyer's coded history the shipped model never saw: the UK Cabinet
Office's Contracts Finder notices in ``../shared/data/ocds_samples/uk_contracts_finder`` (each distinct
tender title with its first item's CPV code, as if a person had decided it). The descriptions are split
into folds by a hash of their normalised text (the same text never on both sides). For each fold the
shipped model and a model retrained exactly as the workspace retrains
(:func:`fairprocure.web.review.retrain.retrain`'s ``--extra`` path: the shipped labelled text plus the other
folds' decided descriptions) classify the fold's descriptions; printed: the share whose risk category is
the decided one, and whose CPV division is, before and after, with the CPU time of each retraining.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import platform
import sys
import time
from pathlib import Path

from fairprocure.classify.decisions import load_decisions
from fairprocure.classify.model import TextClassifier, read_model, shipped_model_path
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import category_for_cpv
from fairprocure.classify.train import build, training_examples
from fairprocure.web.review.retrain import decided_examples, lessons

ROOT = Path(__file__).resolve().parents[1]
UK = ROOT.parent / "shared/data/ocds_samples/uk_contracts_finder/releases.jsonl"


def uk_decisions(path: Path = UK) -> str:
    """Contracts Finder's distinct tender titles with their first item's CPV code, as a decision file."""
    seen: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            tender = json.loads(line).get("tender") or {}
            title = (tender.get("title") or "").strip()
            codes = [(i.get("classification") or {}).get("id") for i in tender.get("items") or []]
            code = next((c for c in codes if c), None)
            if title and code and category_for_cpv(code) and normalise(title) not in seen:
                seen[normalise(title)] = (title, code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["description", "cpv"])
    writer.writerows(seen.values())
    return out.getvalue()


def fold_of(text: str, folds: int) -> int:
    return int.from_bytes(hashlib.sha256(normalise(text).encode()).digest()[:4], "big") % folds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--decisions", type=Path, help="a decision file (default: UK Contracts Finder titles)"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-folds", type=int, default=None, help="test only the first N folds")
    args = parser.parse_args()
    if args.decisions:
        source, path = str(args.decisions), args.decisions
    else:
        if not UK.exists():
            print(f"{UK} is missing (the shared data folder); give --decisions FILE", file=sys.stderr)
            return 2
        path = Path("/tmp/fairprocure-review-learning-decisions.csv")
        path.write_text(uk_decisions(), encoding="utf-8")
        source = f"{UK.relative_to(ROOT.parent)} (tender titles, first item's CPV)"
    decided = decided_examples(path)
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    print(f"decided descriptions: {len(decided)} from {source}; {args.folds} folds by text hash")
    shipped = read_model(shipped_model_path())
    base = training_examples()
    totals = {"n": 0, "cat_before": 0, "cat_after": 0, "div_before": 0, "div_after": 0}
    cpu = []
    for f in range(args.max_folds or args.folds):
        test = [d for d in decided if fold_of(d[0].text, args.folds) == f]
        train = lessons([d for d in decided if fold_of(d[0].text, args.folds) != f])
        started = time.process_time()
        after = TextClassifier(build([*base, *train]))
        cpu.append(time.process_time() - started)
        texts = [e.text for e, _ in test]
        for name, model in (("before", shipped), ("after", after)):
            for p, (e, category) in zip(model.predict(texts), test, strict=True):
                totals[f"cat_{name}"] += p.category == category
                totals[f"div_{name}"] += bool(p.cpv) and p.cpv[:2] == e.cpv[:2]
        totals["n"] += len(test)
        print(
            f"fold {f}: {len(test)} held out, {len(train)} learned; retraining {cpu[-1]:.0f} s CPU; "
            f"risk category right {totals['cat_before']}/{totals['n']} before, {totals['cat_after']}/{totals['n']} "
            "after (cumulative)",
            flush=True,
        )
    n = totals["n"]
    print(
        "\n| held-out decided descriptions | risk category right: shipped model | retrained | CPV division right: shipped | retrained |"
    )
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {n} | {totals['cat_before'] / n:.3f} | {totals['cat_after'] / n:.3f} | "
        f"{totals['div_before'] / n:.3f} | {totals['div_after'] / n:.3f} |"
    )
    print(
        f"retraining: {sum(cpu) / len(cpu):.0f} s CPU on average ({len(base):,} shipped examples + the decided ones)"
    )
    load_decisions(path)  # the file is a valid --decisions file as it is
    return 0


if __name__ == "__main__":
    sys.exit(main())
