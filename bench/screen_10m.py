"""Benchmark: streamed end-to-end screening of a large ledger, beside a bare DuckDB floor.

    python bench/screen_10m.py                   # 10,000,000 lines (generated first if missing)
    python bench/screen_10m.py --lines 1000000

Each run is a child process, so its peak RSS is its own:

- ``fairprocure``: ``screen(path, stream=True)`` with the shipped text model, then ``write_outputs``
  (register.parquet, register.csv, register.xlsx of the top rows, report.html, quality.json); ``phases``:
  CPU seconds and peak RSS of each phase the screening's progress names. CPU includes the worker
  processes (reading the ledger's blocks, the text model); ``worker_peak_rss_mb`` is the largest of them;
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
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import child_figures, prepare

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far, every thread (DuckDB's included), and of its
    worker processes once they have ended (each phase's pool ends with the phase)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


class Phases:
    """CPU seconds and peak RSS (sampled every 20 ms from /proc, Linux) of each phase the progress names."""

    def __init__(self) -> None:
        self.phase, self.started, self.figures = "start", _cpu(), {}
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def _rss_mb() -> float:
        try:
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024
        except (OSError, StopIteration):
            return 0.0

    def _entry(self, phase: str) -> dict:
        return self.figures.setdefault(phase, {"cpu_s": 0.0, "peak_rss_mb": 0.0})

    def _sample(self) -> None:
        while True:
            entry = self._entry(self.phase)
            entry["peak_rss_mb"] = max(entry["peak_rss_mb"], round(self._rss_mb()))
            time.sleep(0.02)

    def __call__(self, fraction: float, message: str) -> None:
        phase = getattr(message, "phase", str(message))
        if phase != self.phase:
            now = _cpu()
            self._entry(self.phase)["cpu_s"] += now - self.started
            self.phase, self.started = phase, now

    def done(self) -> dict:
        self._entry(self.phase)["cpu_s"] += _cpu() - self.started
        self.phase, self.started = "(after)", _cpu()
        return {
            k: {"cpu_s": round(v["cpu_s"], 1), "peak_rss_mb": v["peak_rss_mb"]}
            for k, v in self.figures.items()
        }


def run_fairprocure(path: Path, work: Path) -> dict:
    import pyarrow.parquet as pq

    from fairprocure.report import write_outputs
    from fairprocure.screening import screen

    phases = Phases()
    start, cpu = time.perf_counter(), _cpu()
    result = screen([path], stream=True, workdir=work / "stage", progress=phases)
    screened, screened_cpu = time.perf_counter() - start, _cpu() - cpu
    phases(1.0, "writing the outputs")
    written = write_outputs(result, work / "out")
    return {
        "lines": result.portfolio.totals["lines"],
        "high_lines": result.portfolio.totals["high_lines"],
        # counted from the file's footer: reading the sets' JSON (0.3 GB at 10M lines) is not an output's cost
        "factor_sets": pq.ParquetFile(written["factor_sets.parquet"]).metadata.num_rows,
        "screen_s": screened,
        "screen_cpu_s": screened_cpu,
        "write_outputs_s": time.perf_counter() - start - screened,
        "write_outputs_cpu_s": _cpu() - cpu - screened_cpu,
        "outputs_mb": {name: round(p.stat().st_size / 1e6, 1) for name, p in written.items()},
        "timings": {k: round(v, 1) for k, v in result.timings.items()},
        "phases": phases.done(),
    }


def run_floor(path: Path, work: Path) -> dict:
    import duckdb
    import pyarrow as pa

    from fairprocure.classify.taxonomy import load_taxonomy

    start, cpu = time.perf_counter(), _cpu()
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
    return {
        "lines": sum(r[2] for r in rows),
        "groups": len(rows),
        "screen_s": time.perf_counter() - start,
        "screen_cpu_s": _cpu() - cpu,
    }


RUNNERS = {"fairprocure": run_fairprocure, "bare DuckDB floor": run_floor}


def child(name: str, path: Path, work: Path) -> None:
    figures = RUNNERS[name](path, work)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the largest worker process (forked: the pages it shares with this process are counted in both)
    figures["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
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
        results[name] = r = child_figures([sys.executable, __file__, "--child", name, str(path), str(work)])
        shutil.rmtree(work, ignore_errors=True)
        print(f"{name}: {json.dumps(r)}  (load average before: {load}, after: {_load()})")
    ours, floor = results["fairprocure"], results["bare DuckDB floor"]
    print(
        f"screen / floor: {ours['screen_s'] / floor['screen_s']:.1f}x wall, "
        f"{ours['screen_cpu_s'] / floor['screen_cpu_s']:.1f}x CPU (target <= 5x); "
        f"outputs {ours['write_outputs_s']:.1f} s wall, {ours['write_outputs_cpu_s']:.1f} s CPU "
        f"({sum(ours['outputs_mb'].values()):,.0f} MB); peak RSS {ours['peak_rss_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
