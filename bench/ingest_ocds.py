"""Benchmark: OCDS JSON Lines ingest speed, side by side with ocdscardinal and a bare orjson loop.

    python bench/ingest_ocds.py                  # generates bench/out/ocds_2gb.jsonl first if missing
    python bench/ingest_ocds.py --gb 0.2         # a smaller file
    python bench/ingest_ocds.py --rounds 3 --no-serial   # three alternating rounds and their median ratio

The file replicates the real sample releases and records (``../shared/data/ocds_samples``) under fresh
ocids, so every contracting process is distinct and releases of one process stay spread over the
file as in the samples. Each reader runs in its own child process (peak RSS measured alone), on the
same file, warm in the page cache:

- ``ocdscardinal``: ``ocdscardinal.coverage(file)``, the Rust walk over every JSON node (PyPI wheel);
- ``orjson loop``: ``orjson.loads`` of every line, nothing else: the floor of any Python reader;
- ``fairprocure``: ``stage_sources`` -- index the lines by ocid bucket, parse, merge releases,
  validate every release against the OCDS schema, extract lines, normalise countries/currencies/CPV
  and write Parquet, in one worker process per CPU (``--workers`` to choose); then the same in one
  process (``--no-serial`` to skip it).

Each row gives wall time, CPU time (user + system of the run and its worker processes) and peak RSS
(the run's own; for fairprocure also its largest worker's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import child_figures  # noqa: E402

SAMPLES = HERE.parent.parent / "shared" / "data" / "ocds_samples"


def generate(out: Path, target_bytes: int) -> Path:
    """Write replicas of the sample JSON Lines with fresh ocids until ``target_bytes``."""
    import orjson

    lines: list[tuple[bytes, list[bytes]]] = []
    for path in sorted(SAMPLES.glob("*/*.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                obj = orjson.loads(line)
                ocid = obj.get("ocid") or (obj.get("compiledRelease") or {}).get("ocid")
                lines.append((line, [ocid.encode()] if ocid else []))
    out.parent.mkdir(parents=True, exist_ok=True)
    written, replica = 0, 0
    with out.open("wb") as f:
        while written < target_bytes:
            tag = b"-r%d" % replica
            for line, ocids in lines:
                for ocid in ocids:
                    line = line.replace(ocid, ocid + tag)
                f.write(line + b"\n")
                written += len(line) + 1
            replica += 1
    return out


def run_cardinal(path: Path) -> dict:
    import ocdscardinal

    counts = ocdscardinal.coverage(str(path))
    return {"lines_walked": counts.get("", 0)}


def run_orjson(path: Path) -> dict:
    import orjson

    n = 0
    with path.open("rb") as f:
        for line in f:
            orjson.loads(line)
            n += 1
    return {"lines_parsed": n}


def run_fairprocure(path: Path, workers: int | None = None) -> dict:
    from fairprocure.ingest.stream import stage_sources

    with tempfile.TemporaryDirectory(dir=HERE / "out") as work:
        staged = stage_sources([path], work, workers=workers)
        quarantined = sum(p.action == "quarantined" for p in staged.problems)
    stats = staged.stats[str(path)]
    return {
        "procurement_lines": staged.lines,
        "records_quarantined": quarantined,
        "releases_validated": stats["schema_validated"],
        "workers": stats.get("workers", 1),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run_fairprocure_serial(path: Path) -> dict:
    return run_fairprocure(path, workers=1)


RUNNERS = {
    "ocdscardinal": run_cardinal,
    "orjson loop": run_orjson,
    "fairprocure": run_fairprocure,
    "fairprocure, 1 process": run_fairprocure_serial,
}


def child(name: str, path: Path, workers: int | None) -> None:
    start, times = time.perf_counter(), os.times()
    extra = RUNNERS[name](path, workers) if name == "fairprocure" else RUNNERS[name](path)
    seconds, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(times[:4])  # user + system, this process and its children
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak, **extra}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gb", type=float, default=2.0, help="size of the generated file (GB, 1e9 bytes)")
    parser.add_argument("--workers", type=int, help="fairprocure's worker processes (default: one per CPU)")
    parser.add_argument("--no-serial", action="store_true", help="skip the one-process fairprocure run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the readers this many times, alternating, and give each round's ratio and their median "
        "(run-to-run variation on a shared machine is about 20%%)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.workers)
        return
    path = HERE / "out" / f"ocds_{args.gb:g}gb.jsonl"
    if not path.exists():
        start = time.perf_counter()
        generate(path, int(args.gb * 1e9))
        print(f"generated {path} in {time.perf_counter() - start:.0f} s")
    size_mb = path.stat().st_size / 1e6
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    with open("/proc/loadavg") as f:
        print(f"load average before: {f.read().split()[:3]}, CPUs: {os.cpu_count()}")
    print(f"input: {path} ({size_mb:,.0f} MB)")
    ratios = []
    for round_ in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {round_} of {args.rounds}")
        results = {}
        for name in RUNNERS:
            if args.no_serial and name == "fairprocure, 1 process":
                continue
            workers = ["--workers", str(args.workers)] if args.workers else []
            results[name] = child_figures([sys.executable, __file__, "--child", name, str(path), *workers])
            r = results[name]
            extra = ", ".join(
                f"{k} {v:,.0f}" for k, v in r.items() if k not in ("seconds", "cpu_seconds", "peak_rss_mb")
            )
            print(
                f"{name:>22}: {r['seconds']:7.1f} s  CPU {r['cpu_seconds']:6.1f} s  "
                f"{size_mb / r['seconds']:7.1f} MB/s  peak RSS {r['peak_rss_mb']:,.0f} MB  ({extra})"
            )
        ratios.append(results["ocdscardinal"]["seconds"] / results["fairprocure"]["seconds"])
        print(f"fairprocure speed / ocdscardinal speed: {ratios[-1]:.2f}x (target >= 1x, aim 2x)")
    if len(ratios) > 1:
        shown = ", ".join(f"{r:.2f}x" for r in ratios)
        print(f"median of {len(ratios)} rounds: {statistics.median(ratios):.2f}x ({shown})")


if __name__ == "__main__":
    main()
