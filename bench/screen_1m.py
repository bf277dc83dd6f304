"""Benchmark: screen a synthetic ledger end to end and print time and peak memory.

    python bench/screen_1m.py                 # 1,000,000 lines (generated first if missing)
    python bench/screen_1m.py --lines 200000

The screening runs in a child process so that its peak RSS is measured alone (not the generator's
nor the one-time build of the text model, which is done and timed first in its own process).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import child_figures  # noqa: E402


def child(path: Path, out: Path) -> None:
    from fairprocure.report import write_outputs
    from fairprocure.screening import screen

    start = time.perf_counter()
    result = screen([path])
    screened = time.perf_counter() - start
    write_outputs(result, out)
    total = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "lines": result.portfolio.totals["lines"],
                "streamed": result.register.num_rows < result.portfolio.totals["lines"],
                "quarantined": sum(1 for p in result.problems if p.action == "quarantined"),
                "screen_s": round(screened, 2),
                "screen_and_write_s": round(total, 2),
                "peak_rss_mb": round(peak_mb),
                "timings": {k: round(v, 2) for k, v in result.timings.items()},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "screen")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.out)
        return
    path = HERE / "out" / f"ledger_{args.lines}.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--lines", str(args.lines), "--out", str(path)],
            check=True,
        )
    start = time.perf_counter()
    warm = "from fairprocure.classify.model import load_classifier; load_classifier()"
    subprocess.run([sys.executable, "-c", warm], check=True)
    model_s = time.perf_counter() - start
    figures = child_figures([sys.executable, __file__, "--child", str(path), "--out", str(args.out)])
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    print(f"input: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    print(f"text model ready (built on first use, else loaded from the cache) in {model_s:.1f} s")
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
