"""Draw candidate supplier-name pairs from the shared real data, for labelling by hand.

    python bench/supplier_name_candidates.py ../shared/data > candidates.csv

Three kinds of pair, so the sample holds true variants and hard negatives, not easy strangers:

- *same identifier*: two spellings filed under one SIREN (DECP titulaires, first 9 digits of the SIRET), one
  Oxford supplier id or one Paraguayan RUC — mostly variants, sometimes a consortium or a data error;
- *look-alikes*: names sharing their first normalised word, with different identifiers (or none), ranked by
  similarity — mostly group companies, branches and namesakes;
- *across publishers*: a name in one publisher's data and a look-alike in another's (HM Treasury, Lambeth,
  Oxford, ACT Government, DECP, Paraguay).

The labelled result is ``src/fairprocure/entities/data/supplier_name_pairs.csv`` (see its README).
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from fairprocure.entities.names import normalise_name


def names(root: Path) -> list[tuple[str, str, str]]:
    """(source, name, identifier) for every supplier name in the shared data."""
    out = []
    with open(root / "uk_hmt_spend_over_25k/hmt_spend_over_25k_2025Q1.csv", encoding="utf-8") as f:
        out += [("hmt", r["supplier"].strip(), "") for r in csv.DictReader(f)]
    with open(
        root / "ledgers_dev/oxford_city_council/expenditure-over-500-oct-dec-2017.csv", encoding="latin-1"
    ) as f:
        out += [
            ("oxford", r["Supplier Name"].strip(), "oxford:" + r["Supplier ID"].strip())
            for r in csv.DictReader(f)
        ]
    text = (root / "ledgers_dev/lambeth_council/2012-06-payments.csv").read_bytes().decode("latin-1")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Body,"))
    out += [
        ("lambeth", r["Supplier Name"].strip(), "")
        for r in csv.DictReader(io.StringIO("\n".join(lines[start:])))
    ]
    with open(root / "ledgers_dev/act_government_australia/act_contracts_2025.csv", encoding="utf-8") as f:
        out += [("act", r["suppliers"].strip(), "") for r in csv.DictReader(f)]
    with open(root / "decp_fr_dev/decp_2019_marches_dev.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            siret = (r["titulaires_id"] or "").strip().replace(" ", "")
            out.append(
                ("decp", r["titulaires_denominationSociale"].strip(), "siren:" + siret[:9] if siret else "")
            )
    for pub in ("paraguay_dncp", "uk_contracts_finder"):
        with open(root / f"ocds_samples/{pub}/releases.jsonl", encoding="utf-8") as f:
            for line in f:
                for party in json.loads(line).get("parties") or []:
                    if {"supplier", "tenderer"} & set(party.get("roles") or []) and party.get("name"):
                        ident = (party.get("identifier") or {}).get("id") or ""
                        out.append(
                            (pub.split("_")[0], party["name"].strip(), "ruc:" + ident if ident else "")
                        )
    return [(s, n, i) for s, n, i in out if n]


def main(root: Path) -> None:
    rng = random.Random(13)
    seen = {}
    for source, name, ident in names(root):
        seen.setdefault(name, (source, ident))
    rows = []
    by_id = defaultdict(set)
    for name, (_source, ident) in seen.items():
        if ident:
            by_id[ident].add(name)
    groups = [sorted(v) for v in by_id.values() if len(v) > 1]
    rng.shuffle(groups)
    for group in groups[:90]:
        for a, b in rng.sample(list(combinations(group, 2)), min(2, len(group) * (len(group) - 1) // 2)):
            rows.append(("same identifier", a, seen[a][0], b, seen[b][0]))
    block = defaultdict(list)
    for name in seen:
        key = normalise_name(name)
        if key:
            block[key.split()[0]].append(name)
    looks, across = [], []
    for members in block.values():
        if len(members) < 2 or len(members) > 60:
            continue
        for a, b in combinations(members, 2):
            ia, ib = seen[a][1], seen[b][1]
            if ia and ia == ib:
                continue
            score = fuzz.token_sort_ratio(normalise_name(a), normalise_name(b))
            if score < 50:
                continue
            (across if seen[a][0] != seen[b][0] else looks).append((score, a, b))
    for pool, kind, n in ((looks, "look-alike", 90), (across, "across publishers", 60)):
        rng.shuffle(pool)
        for _, a, b in sorted(pool[: n * 3], key=lambda t: -t[0])[::3][:n]:
            rows.append((kind, a, seen[a][0], b, seen[b][0]))
    # Spellings the normaliser already files together, and near-misses it does not: is that right?
    by_key = defaultdict(list)
    for name in seen:
        by_key[normalise_name(name)].append(name)
    same_key = [tuple(rng.sample(v, 2)) for k, v in sorted(by_key.items()) if k and len(v) > 1]
    rng.shuffle(same_key)
    near = [(a, b) for s, a, b in looks + across if s >= 85 and normalise_name(a) != normalise_name(b)]
    rng.shuffle(near)
    for pool, kind, n in ((same_key, "same key", 45), (near, "near miss", 30)):
        for a, b in pool[:n]:
            rows.append((kind, a, seen[a][0], b, seen[b][0]))
    writer = csv.writer(sys.stdout)
    writer.writerow(["kind", "name_a", "source_a", "name_b", "source_b"])
    writer.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
