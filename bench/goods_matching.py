"""How often descriptions name DOL-listed goods, and how often the notice's own CPV code agrees.

    python bench/goods_matching.py [--sample N]

Reads the shipped TED titles and lot titles and the shared DECP development contracts (when
``../shared/data`` is there), matches every text against the goods lexicon, and prints, for texts
whose notice code is a goods category: the matches, the share whose good agrees with the notice's
code (the code is under one of the good's CPV prefixes, or in the good's category), and the
throughput. ``--sample N`` prints N random matches to read by eye.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import time
from collections import Counter
from importlib.resources import files
from pathlib import Path

from fairprocure.classify.goods import goods_matcher
from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.reference.ilab import goods_taxonomy

DECP = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "decp_fr_dev"
    / "decp_2019_marches_dev.csv"
)


def texts() -> list[tuple[str, str, str]]:
    data = files("fairprocure.reference") / "data" / "ted"
    out = []
    with gzip.open(str(data / "ted_notices.csv.gz"), "rt", encoding="utf-8") as f:
        out += [("ted", r["form_lang"], r["title"], r["cpv_main"]) for r in csv.DictReader(f)]
    with gzip.open(str(data / "ted_lots.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = (r["cpv_additional"] or r["cpv_main_notice"]).split(";")[0]
            out.append(("ted lot", r["form_lang"], r["lot_title"], code))
    if DECP.exists():
        with DECP.open(encoding="utf-8") as f:
            out += [("decp", "FR", r["objet"], r["cpv8_normalised"]) for r in csv.DictReader(f)]
    return [(source, lang, text, code) for source, lang, text, code in out if text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args()
    matcher, taxonomy, mapping = goods_matcher(), load_taxonomy(), goods_taxonomy()
    rows = texts()
    start = time.process_time()
    found = [(row, matcher.match(row[2])) for row in rows]
    seconds = time.process_time() - start
    goods_rows = [
        (row, m)
        for row, m in found
        if taxonomy[taxonomy.category_for_cpv(row[3]) or "unclassified"].kind == "goods"
    ]
    matches = [(row, m) for row, ms in goods_rows for m in ms]
    agree = Counter()
    by_lang = Counter()
    for row, m in matches:
        category, prefixes = mapping[m.good]
        ok = any(row[3].startswith(p) for p in prefixes) or taxonomy.category_for_cpv(row[3]) == category
        agree[ok] += 1
        by_lang[row[1]] += 1
    print(
        f"texts: {len(rows):,} ({len(goods_rows):,} under a goods code); CPU {seconds:.2f} s, {len(rows) / seconds:,.0f} texts/s"
    )
    print(
        f"goods named in goods texts: {len(matches):,}; the notice's code agrees: {agree[True]:,} ({agree[True] / max(1, len(matches)):.0%})"
    )
    print("by language:", ", ".join(f"{k} {v}" for k, v in by_lang.most_common()))
    print("by good:", ", ".join(f"{k} {v}" for k, v in Counter(m.good for _, m in matches).most_common(20)))
    for row, m in random.Random(0).sample(matches, min(args.sample, len(matches))):
        print(f"  {m.good:<22} {m.words!r:<28} <- {row[2][:90]!r} [{row[3]}]")


if __name__ == "__main__":
    main()
