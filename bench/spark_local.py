"""Benchmark: the screening plan on Apache Spark in local mode, beside DuckDB, on the same staged lines.

    python bench/spark_local.py                  # 10,000,000 lines (bench/out/ledger_10000000.csv)
    python bench/spark_local.py --lines 1000000 --files 4

Needs ``pip install -e '.[spark]'`` and Java 17. Steps, each in its own child process:

1. **Stage** the generated ledger once (``stage_sources``, the Python reader both engines share).
2. **Partition** the staged lines as ``docs/scaling.md`` recommends: ``--files`` Parquet files (default
   two per core, so every core has work and a slow task does not hold the others up, or more so that
   each is smaller than one Spark input split, ``spark.sql.files.maxPartitionBytes``, 128 MB: a file
   is then one task), in row groups of at most 500,000 lines.
3. **Screen** the partitioned lines (``screening.screen_staged``) with each engine: DuckDB in process;
   Spark as ``local[*]`` with a 4 GB driver and ``spark.sql.shuffle.partitions`` = two per core.

Each run prints wall time, CPU time (user + system of the Python process and, for Spark, of its JVM)
and the load average just before it. The registers of both engines are compared (levels per line).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import child_figures, prepare

HERE = Path(__file__).resolve().parent
SPLIT_BYTES = 128 << 20  # spark.sql.files.maxPartitionBytes' default


def _jvm_cpu(spark) -> float:
    """CPU seconds (user + system) of the local JVM so far, from /proc (Linux)."""
    pid = spark.sparkContext._gateway.proc.pid  # local mode: the JVM PySpark started
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def stage(path: Path, out: Path) -> dict:
    from fairprocure.ingest.stream import stage_sources

    staged = stage_sources([path], out)
    return {
        "lines": staged.lines,
        "staged_mb": round(sum(p.stat().st_size for p in staged.path.iterdir()) / 1e6),
    }


def partition(source: Path, out: Path, files: int) -> dict:
    """Rewrite the staged lines into ``files`` Parquet files of equal line counts (0: two per core, more
    if a file would be larger than one input split)."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(source, format="parquet")
    rows = dataset.count_rows()
    if not files:
        staged = sum(p.stat().st_size for p in Path(source).glob("*.parquet"))
        files = max(2 * (os.cpu_count() or 1), -(-staged * 11 // 10 // SPLIT_BYTES))  # 10% margin
    per_file = -(-rows // files)
    ds.write_dataset(
        dataset,
        out,
        format="parquet",
        basename_template="part-{i}.parquet",
        max_rows_per_file=per_file,
        max_rows_per_group=min(per_file, 500_000),
        min_rows_per_group=min(per_file, 500_000),
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
    )
    sizes = [p.stat().st_size for p in out.glob("*.parquet")]
    return {"files": len(sizes), "largest_file_mb": round(max(sizes) / 1e6), "split_mb": SPLIT_BYTES >> 20}


def screen_child(engine: str, lines: Path, work: Path) -> dict:
    from fairprocure.screening import screen_staged

    spark = None
    if engine == "spark":
        from pyspark.sql import SparkSession

        cores = os.cpu_count() or 1
        spark = (
            SparkSession.builder.master("local[*]")
            .appName("fairprocure-bench")
            .config("spark.driver.memory", "4g")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", str(2 * cores))
            .config("spark.local.dir", str(work / "spark-tmp"))
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        jvm_before = _jvm_cpu(spark)
    start, times = time.perf_counter(), os.times()
    result = screen_staged(lines, engine=engine, workdir=work / "stage")
    seconds, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(times[:4])
    if spark is not None:
        cpu += _jvm_cpu(spark) - jvm_before
    import pyarrow.parquet as pq

    levels = pq.read_table(result.register_path, columns=["line_id", "risk_level"]).sort_by("line_id")
    pq.write_table(levels, work.parent / f"levels_{engine}.parquet")
    return {
        "lines": result.portfolio.totals["lines"],
        "high_lines": result.portfolio.totals["high_lines"],
        "screen_s": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "timings": {k: round(v, 1) for k, v in result.timings.items()},
        "python_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _run(*args: str) -> dict:
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = child_figures([sys.executable, __file__, "--child", *args])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["wall_s"] = round(time.perf_counter() - start, 1)
    result["process_cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
    result["load_before"] = load
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument(
        "--files", type=int, default=0, help="staged Parquet files (default: two per core, each one split)"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "stage":
            result = stage(Path(rest[0]), Path(rest[1]))
        elif kind == "partition":
            result = partition(Path(rest[0]), Path(rest[1]), int(rest[2]))
        else:
            result = screen_child(rest[0], Path(rest[1]), Path(rest[2]))
        print(json.dumps(result))
        return
    path = prepare(args.lines)
    root = HERE / "out" / f"spark_bench_{args.lines}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    print(f"stage: {_run('stage', str(path), str(root / 'stage'))}")
    lines = root / "lines"
    print(f"partition: {_run('partition', str(root / 'stage' / 'lines'), str(lines), str(args.files))}")
    shutil.rmtree(root / "stage", ignore_errors=True)
    for engine in args.engines.split(","):
        print(f"{engine}: {_run('screen', engine, str(lines), str(root / f'work_{engine}'))}", flush=True)
        shutil.rmtree(root / f"work_{engine}", ignore_errors=True)
    if set(args.engines.split(",")) == {"duckdb", "spark"}:
        import pyarrow.parquet as pq

        same = pq.read_table(root / "levels_duckdb.parquet").equals(
            pq.read_table(root / "levels_spark.parquet")
        )
        print(f"registers: {'same line ids and levels' if same else 'DIFFERENT'}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
