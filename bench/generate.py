"""Generate a synthetic spend ledger (CSV) drawn from the real data shipped with fairprocure.

Descriptions are real CPV labels (in 26 languages) and real TED notice titles; codes are real CPV
codes; countries are those of the real ILAB, TIP and WGI data; half the lines carry a CPV code and
half only free text, as ERP exports do. Descriptions repeat (a pool of distinct ones is drawn from),
as in real ledgers.

    python bench/generate.py --lines 1000000 --out bench/out/ledger_1m.csv
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import time
from pathlib import Path

from fairprocure.reference import data_path
from fairprocure.reference.ilab import listings_by_country
from fairprocure.reference.wgi import governance_by_country

OFFICES = [
    "Vienna",
    "Prague",
    "Warsaw",
    "Bishkek",
    "Dushanbe",
    "Chisinau",
    "Kyiv",
    "Skopje",
    "Sarajevo",
    "Pristina",
    "Belgrade",
    "Tirana",
    "Podgorica",
    "Yerevan",
    "Tbilisi",
    "Astana",
    "Tashkent",
    "Ashgabat",
]
CURRENCIES = ["EUR"] * 6 + [
    "USD",
    "GBP",
    "CHF",
    "PLN",
    "CZK",
    "MDL",
    "UAH",
    "KGS",
    "KZT",
    "RSD",
    "MKD",
    "ALL",
]
LANGS = [
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pl",
    "ro",
    "ru_prozorro",
    "uk_prozorro",
    "bg",
    "cs",
    "el",
    "hu",
    "sk",
    "sl",
    "hr",
]


def _pool(rng: random.Random, distinct: int) -> list[tuple[str, str]]:
    """(description, cpv) pairs: CPV labels in many languages plus real TED titles with their code."""
    pairs: list[tuple[str, str]] = []
    with gzip.open(data_path("cpv/cpv2008_main_vocabulary_multilingual.csv.gz"), "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for lang in LANGS:
                if row.get(lang):
                    pairs.append((row[lang], row["code8"]))
    ted = data_path("ted/ted_notices.csv.gz")
    if ted.exists():
        with gzip.open(ted, "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["title"] and row["cpv_main"]:
                    pairs.append((row["title"][:200], row["cpv_main"]))
    rng.shuffle(pairs)
    return pairs[:distinct]


def generate(lines: int, out: Path, distinct: int = 50_000, seed: int = 7) -> Path:
    rng = random.Random(seed)
    pool = _pool(rng, distinct)
    countries = sorted(governance_by_country())
    listed = sorted(listings_by_country())
    suppliers = [
        f"Supplier {i:05d} {rng.choice(['GmbH', 'LLC', 'Ltd', 'S.A.', 'SRL', 'TOO', 'DOO'])}"
        for i in range(20_000)
    ]
    supplier_country = {s: rng.choice(countries) for s in suppliers}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "Office",
                "Order number",
                "Description",
                "CPV",
                "Supplier",
                "Supplier country",
                "Country of origin",
                "Delivery country",
                "Amount",
                "Currency",
                "Date",
            ]
        )
        for i in range(lines):
            desc, cpv = (
                pool[int(rng.paretovariate(1.2)) % len(pool)] if rng.random() < 0.7 else rng.choice(pool)
            )
            supplier = suppliers[int(rng.paretovariate(1.1)) % len(suppliers)]
            origin = (
                rng.choice(listed)
                if rng.random() < 0.15
                else (rng.choice(countries) if rng.random() < 0.2 else "")
            )
            w.writerow(
                [
                    rng.choice(OFFICES),
                    f"PO-{i // 3:07d}",
                    desc,
                    cpv if rng.random() < 0.5 else "",
                    supplier,
                    supplier_country[supplier],
                    origin,
                    rng.choice(countries) if rng.random() < 0.5 else "",
                    f"{rng.lognormvariate(8, 2):.2f}",
                    rng.choice(CURRENCIES),
                    f"202{rng.randint(0, 4)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ]
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument(
        "--distinct", type=int, default=50_000, help="size of the pool of distinct descriptions"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/out/ledger_1m.csv"))
    args = parser.parse_args()
    start = time.perf_counter()
    path = generate(args.lines, args.out, args.distinct)
    print(
        f"wrote {args.lines:,} lines to {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
