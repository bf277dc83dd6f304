"""Precision and recall of supplier-name matching on labelled real name pairs.

    python -m fairprocure.entities.evaluate [--pairs FILE] [--no-countries]

The pairs file (default: the labelled sample shipped in ``data/supplier_name_pairs.csv``) has columns
``name_a, name_b, same`` (1 or 0) and optionally ``kind``, ``country_a``, ``country_b``. Two readings are
measured: **automatic** (the registry files a spelling under a supplier by itself: ``same``) and
**suggested** (``same`` or ``possible``: what a person is shown to merge), beside the key the screening
used before (case, accents and punctuation only).
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from fairprocure.entities.match import POSSIBLE, SAME, match

PAIRS = files("fairprocure.entities").joinpath("data/supplier_name_pairs.csv")


def old_key(name: str) -> str:
    """The screening's supplier key before the registry: case-, accent- and punctuation-insensitive only."""
    text = unicodedata.normalize("NFKD", (name or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, truth: bool) -> None:
        if predicted and truth:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


def load_pairs(path: str | Path | None = None) -> list[dict[str, str]]:
    source = Path(path) if path else PAIRS
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for n, row in enumerate(rows, start=2):
        if row.get("same") not in ("0", "1"):
            raise ValueError(f"{source}, row {n}, column 'same': {row.get('same')!r} is not 0 or 1")
    return rows


def evaluate(rows: list[dict[str, str]], countries: bool = True) -> dict[str, Score]:
    scores = {
        "old key (exact)": Score(),
        "automatic (same)": Score(),
        "suggested (same or possible)": Score(),
    }
    for row in rows:
        truth = row["same"] == "1"
        ca, cb = (row.get("country_a"), row.get("country_b")) if countries else (None, None)
        found = match(row["name_a"], row["name_b"], ca, cb)
        scores["old key (exact)"].add(old_key(row["name_a"]) == old_key(row["name_b"]), truth)
        scores["automatic (same)"].add(found.decision == SAME, truth)
        scores["suggested (same or possible)"].add(found.decision in (SAME, POSSIBLE), truth)
    return scores


def errors(rows: list[dict[str, str]], countries: bool = True) -> list[tuple[str, dict[str, str]]]:
    """The pairs the automatic reading gets wrong, as ``("false match" | "missed", row)``."""
    out = []
    for row in rows:
        ca, cb = (row.get("country_a"), row.get("country_b")) if countries else (None, None)
        same = match(row["name_a"], row["name_b"], ca, cb).decision == SAME
        if same != (row["same"] == "1"):
            out.append(("false match" if same else "missed", row))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", help="labelled pairs CSV (default: the shipped sample)")
    parser.add_argument(
        "--no-countries", action="store_true", help="ignore where the suppliers are registered"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list the pairs the automatic reading gets wrong"
    )
    args = parser.parse_args(argv)
    rows = load_pairs(args.pairs)
    kinds = Counter(r.get("kind", "") for r in rows)
    positives = sum(r["same"] == "1" for r in rows)
    print(f"{len(rows)} labelled pairs ({positives} same supplier, {len(rows) - positives} different)")
    print("by kind: " + ", ".join(f"{k or '-'} {n}" for k, n in sorted(kinds.items())))
    print(f"{'reading':32} {'precision':>9} {'recall':>7} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}")
    for name, s in evaluate(rows, not args.no_countries).items():
        print(f"{name:32} {s.precision:9.3f} {s.recall:7.3f} {s.tp:4} {s.fp:4} {s.fn:4} {s.tn:4}")
    if args.errors:
        for what, row in errors(rows, not args.no_countries):
            print(f"{what:12} {row['name_a']!r} ~ {row['name_b']!r} ({row.get('note') or row.get('kind')})")


if __name__ == "__main__":
    main()
