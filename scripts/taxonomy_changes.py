"""How many CPV codes changed category between an older taxonomy and today's, by old -> new category.

    python scripts/taxonomy_changes.py 544802d

reads ``src/fairprocure/classify/taxonomy.toml`` at that git revision (the taxonomy before the review,
whose categories listed their CPV prefixes) and compares it, code by code over all 9,454 CPV 2008 codes,
with the current table (``cpv_categories.csv``). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import subprocess
import tomllib
from collections import Counter
from pathlib import Path

from fairprocure.classify.data import cpv_labels
from fairprocure.classify.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]


def old_prefixes(revision: str) -> dict[str, str]:
    text = subprocess.run(
        ["git", "show", f"{revision}:src/fairprocure/classify/taxonomy.toml"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    out: dict[str, str] = {}
    for cid, spec in tomllib.loads(text)["categories"].items():
        for prefix in spec.get("cpv", ()):
            out[prefix] = cid
    return out


def longest(prefixes: dict[str, str], code: str) -> str:
    return next((prefixes[code[:n]] for n in range(8, 1, -1) if code[:n] in prefixes), "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="git revision holding the old taxonomy.toml")
    args = parser.parse_args()
    old = old_prefixes(args.revision)
    taxonomy = load_taxonomy()
    labels = cpv_labels()
    changes: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    for code in sorted(labels):
        before, after = longest(old, code), taxonomy.category_for_cpv(code)
        if before != after:
            changes[(before, after)] += 1
            examples.setdefault((before, after), []).append(f"{code} {labels[code]['en']}")
    total = sum(changes.values())
    known = set(old.values())
    between = sum(n for (before, after), n in changes.items() if after in known)
    print(f"{total:,} of {len(labels):,} CPV codes ({total / len(labels):.1%}) changed category: ", end="")
    print(f"{between:,} ({between / len(labels):.1%}) between categories that existed before, ", end="")
    print(
        f"{total - between:,} ({(total - between) / len(labels):.1%}) into categories added by the review.\n"
    )
    print("| codes | share | old category | new category | examples |\n|---:|---:|---|---|---|")
    for (before, after), n in sorted(changes.items(), key=lambda kv: (-kv[1], kv[0])):
        shown = "; ".join(examples[(before, after)][:2])
        print(f"| {n} | {n / len(labels):.2%} | {before} | {after} | {shown} |")


if __name__ == "__main__":
    main()
