"""Write a screening's outputs: the register (CSV, Parquet, XLSX), report.html and quality.json.

CSV and XLSX cells go through :mod:`fairprocure.spreadsheet`, so no text from the data opens as a formula.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from fairprocure.report.html import render_html
from fairprocure.report.xlsx import write_xlsx
from fairprocure.screening import Screening
from fairprocure.spreadsheet import safe_batch, safe_table

OUTPUTS = ("register.csv", "register.parquet", "register.xlsx", "report.html", "quality.json")


def write_outputs(screening: Screening, out_dir: str | Path, xlsx_max_rows: int = 100_000) -> dict[str, Path]:
    """Write every output into ``out_dir`` (created if needed) and return their paths by name.

    Each file is written to a temporary name first and renamed, so a failed run never leaves a
    half-written register next to a complete report.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in OUTPUTS}
    register = screening.register

    def atomic(name: str, write) -> None:
        tmp = out / f".{name}.tmp"
        write(tmp)
        tmp.replace(paths[name])

    if screening.register_path is not None:  # streamed: copy the engine's register block by block
        atomic("register.parquet", lambda p: _copy_parquet(screening.register_path, p))
        atomic("register.csv", lambda p: _parquet_to_csv(screening.register_path, p))
    else:
        atomic("register.parquet", lambda p: pq.write_table(register, p, compression="zstd"))
        atomic("register.csv", lambda p: pacsv.write_csv(safe_table(register), p))
    atomic("register.xlsx", lambda p: write_xlsx(screening, p, xlsx_max_rows))
    quality = screening.quality
    atomic(
        "quality.json", lambda p: p.write_text(json.dumps(quality, indent=2, ensure_ascii=False, default=str))
    )
    atomic("report.html", lambda p: p.write_text(render_html(screening, quality), encoding="utf-8"))
    return paths


def _batches(source: Path):
    """Schema and record batches of a Parquet file or directory, one row group at a time (no read-ahead)."""
    files = sorted(source.glob("*.parquet")) if source.is_dir() else [source]

    def batches():
        for file in files:
            yield from pq.ParquetFile(file).iter_batches(batch_size=16_384)

    return ds.dataset(files, format="parquet").schema, batches()


def _copy_parquet(source: Path, target: Path) -> None:
    """One Parquet file from a file or a directory of part files (as Spark writes), in bounded memory."""
    schema, batches = _batches(source)
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)


def _parquet_to_csv(source: Path, target: Path) -> None:
    schema, batches = _batches(source)
    with pacsv.CSVWriter(target, schema) as writer:
        for batch in batches:
            writer.write_batch(safe_batch(batch))
