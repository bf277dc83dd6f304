"""Benchmark: streamed end-to-end screening of a large ledger, beside a bare DuckDB floor.

    python bench/screen_10m.py                   # 10,000,000 lines (generated first if missing)
    python bench/screen_10m.py --lines 1000000

Each run is a child process, so its peak RSS is its own:

- ``fairprocure``: ``screen(path, stream=True)`` with the shipped text model, then ``write_outputs``
  (register.parquet, register.csv, register.xlsx of the top rows, report.html, quality.json);
- ``bare DuckDB floor``: the least any screening must do on the same file: read every row
  (``read_csv``, all text, ``TRY_CAST`` of the amount), join a table keyed by CPV code and aggregate
  spend by office and category.

The text model is built or loaded once before, outside the timed runs (as bench/screen_1m.py does).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import prepare

HERE = Path(__file__).resolve().parent


def run_fairprocure(path: Path, work: Path) -> dict:
    from fairprocure.report import write_outputs
    from fairprocure.screening import screen

    start = time.perf_counter()
    result = screen([path], stream=True, workdir=work / "stage")
    screened = time.perf_counter() - start
    write_outputs(result, work / "out")
    return {
        "lines": result.portfolio.totals["lines"],
        "high_lines": result.portfolio.totals["high_lines"],
        "screen_s": screened,
        "write_outputs_s": time.perf_counter() - start - screened,
        "timings": {k: round(v, 1) for k, v in result.timings.items()},
    }


def run_floor(path: Path, work: Path) -> dict:
    import duckdb
    import pyarrow as pa

    from fairprocure.classify.taxonomy import load_taxonomy

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET memory_limit = '700MB'; SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{work / 'spill'}'")
    source = f"read_csv('{path}', all_varchar = true, header = true)"
    codes = [
        r[0] for r in con.execute(f'SELECT DISTINCT "CPV" FROM {source} WHERE "CPV" IS NOT NULL').fetchall()
    ]
    taxonomy = load_taxonomy()
    con.register("codes", pa.table({"cpv": codes, "category": [taxonomy.category_for_cpv(c) for c in codes]}))
    rows = con.execute(f"""
        SELECT l."Office" AS office, coalesce(c.category, 'unclassified') AS category, count(*) AS lines,
               sum(TRY_CAST(l."Amount" AS DOUBLE)) AS spend
        FROM {source} l LEFT JOIN codes c ON l."CPV" = c.cpv
        GROUP BY ALL""").fetchall()
    return {"lines": sum(r[2] for r in rows), "groups": len(rows), "screen_s": time.perf_counter() - start}


RUNNERS = {"fairprocure": run_fairprocure, "bare DuckDB floor": run_floor}


def child(name: str, path: Path, work: Path) -> None:
    figures = RUNNERS[name](path, work)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    path = prepare(args.lines)
    results = {}
    for name in RUNNERS:
        work = HERE / "out" / f"work_{args.lines}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        load = _load()
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, str(path), str(work)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[name] = r = json.loads(out.stdout.strip().splitlines()[-1])
        shutil.rmtree(work, ignore_errors=True)
        print(f"{name}: {json.dumps(r)}  (load average before: {load})")
    ratio = results["fairprocure"]["screen_s"] / results["bare DuckDB floor"]["screen_s"]
    print(
        f"screen / floor: {ratio:.1f}x (target <= 3x); peak RSS {results['fairprocure']['peak_rss_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
