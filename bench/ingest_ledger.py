"""Benchmark: stage a large CSV ledger to Parquet (the streamed ingest) and print CPU time and peak RSS.

    python bench/ingest_ledger.py                       # bench/out/ledger_1000000.csv (generated if missing)
    python bench/ingest_ledger.py path/to/ledger.csv

CPU time (user + system) is printed beside wall time: on a shared machine it is the steadier figure.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", nargs="?", type=Path, default=HERE / "out" / "ledger_1000000.csv")
    args = parser.parse_args()
    if not args.path.exists():
        generator = [sys.executable, str(HERE / "generate.py"), "--lines", "1000000", "--out", str(args.path)]
        subprocess.run(generator, check=True)
    from fairprocure.ingest.stream import stage_sources

    cpu, wall = _cpu(), time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        staged = stage_sources([args.path], work)
    print(f"input: {args.path} ({args.path.stat().st_size / 1e6:,.0f} MB)")
    print(f"lines: {staged.lines:,}")
    print(f"cpu_s: {_cpu() - cpu:.2f}")
    print(f"wall_s: {time.perf_counter() - wall:.2f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f}")


if __name__ == "__main__":
    main()
