"""Benchmark: the same streamed screening on Apache Spark in local mode, beside DuckDB.

    python bench/spark_local.py                  # 10,000,000 lines (bench/out/ledger_10000000.csv)
    python bench/spark_local.py --lines 1000000

Needs ``pip install -e '.[spark]'`` and Java 17. Spark runs as ``local[*]`` with a 4 GB driver (the
plan's Python side holds only distinct keys; the JVM holds Spark's buffers). Each engine runs in its
own child process on the same generated ledger; both stage the input with the same streaming reader,
so the difference is the engine. Peak RSS is the Python process only (the JVM is a child of it).
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


def child(engine: str, path: Path, work: Path) -> None:
    from fairprocure.screening import screen

    if engine == "spark":
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[*]")
            .appName("fairprocure-bench")
            .config("spark.driver.memory", "4g")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.local.dir", str(work / "spark-tmp"))
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter()
    result = screen([path], engine=engine, stream=True, workdir=work / "stage")
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "lines": result.portfolio.totals["lines"],
                "high_lines": result.portfolio.totals["high_lines"],
                "screen_s": round(seconds, 1),
                "timings": {k: round(v, 1) for k, v in result.timings.items()},
                "python_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    path = prepare(args.lines)
    for engine in args.engines.split(","):
        work = HERE / "out" / f"spark_work_{args.lines}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, str(path), str(work)],
            check=True,
            capture_output=True,
            text=True,
        )
        shutil.rmtree(work, ignore_errors=True)
        print(f"{engine}: {out.stdout.strip().splitlines()[-1]}  (load average before: {load})")


if __name__ == "__main__":
    main()
