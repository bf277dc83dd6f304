"""A screening as a Spark application: the file ``spark-submit`` runs, on a cluster or in local mode.

    spark-submit --master yarn --driver-memory 4g \\
        "$(python -m fairprocure.engine.spark_submit --path)" \\
        --staged /mnt/shared/lines/ --workdir /mnt/shared/work --out /mnt/shared/out

``--staged`` screens lines already staged as Parquet (``fairprocure.schema.LINE_SCHEMA``; see
:func:`fairprocure.screening.screen_staged`); source files given instead are staged first, on the
driver, as ``fairprocure screen`` does. The plan, the register and every output are those of
``fairprocure screen --engine spark``. The session is the one spark-submit configured (master,
executors, shuffle partitions); the plan only needs its time zone in UTC, which is set here. The
staged lines and the work directory must be on a file system every executor reads (HDFS mounted,
NFS, ``/dbfs``); outputs are written by the driver.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spark_submit.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sources", nargs="*", help="OCDS or spend-ledger files, staged on the driver first")
    parser.add_argument("--staged", help="lines already staged as Parquet (a file or a directory)")
    parser.add_argument(
        "--out", help="where the outputs go (register.parquet, report.html, quality.json ...)"
    )
    parser.add_argument("--workdir", help="work directory every executor can read (default: OUT/work)")
    parser.add_argument("--policy", help="a screening policy file (TOML)")
    parser.add_argument(
        "--top", type=int, default=10_000, help="lines in register.csv/.xlsx (default 10,000)"
    )
    parser.add_argument(
        "--path", action="store_true", help="print this file's path (for spark-submit) and stop"
    )
    return parser


def main(argv: Sequence[str] | None = None, classifier: Callable[[Sequence[str]], list] | None = None) -> int:
    """Run the application; ``classifier`` replaces the shipped text model (tests, embedding)."""
    args = _parser().parse_args(argv)
    if args.path:
        print(Path(__file__).resolve())
        return 0
    if not args.out or bool(args.staged) == bool(args.sources):
        _parser().error("give --out and either --staged DIR or source files")

    from fairprocure.engine.spark_engine import default_session
    from fairprocure.report import write_outputs
    from fairprocure.screening import screen, screen_staged

    session = default_session("fairprocure")  # spark-submit's session when there is one
    session.conf.set("spark.sql.session.timeZone", "UTC")  # dates must not shift with the driver's zone
    out = Path(args.out)
    workdir = Path(args.workdir) if args.workdir else out / "work"
    start = time.perf_counter()
    options = {
        "engine": "spark",
        "policy": args.policy,
        "workdir": workdir,
        "top": args.top,
        "classifier": classifier,
    }
    if args.staged:
        result = screen_staged(args.staged, **options)
    else:
        result = screen(args.sources, stream=True, **options)
    screened = time.perf_counter() - start
    written = write_outputs(result, out, top=args.top)
    totals = result.portfolio.totals
    summary = {
        "master": session.sparkContext.master,
        "lines": totals["lines"],
        "high_lines": totals["high_lines"],
        "screen_s": round(screened, 1),
        "timings": {k: round(v, 1) for k, v in result.timings.items()},
        "outputs": sorted(p.name for p in written.values()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
