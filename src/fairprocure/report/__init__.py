"""Write a screening's outputs: the register (Parquet, CSV, XLSX), report.html and quality.json.

``register.parquet`` holds every line, each with the key of its factor set (``factor_set``) in place of
the explanation, and ``factor_sets.parquet`` each set's explanation once (``schema.COMPACT_REGISTER_FIELDS``).
``register.csv`` and ``register.xlsx`` are for people: they
hold the ``top`` lines by priority (:data:`TOP_LINES` unless asked otherwise; ``top=None`` writes every
line to the CSV), and ``quality.json`` (``outputs``) and report.html say what was cut.
CSV and XLSX cells go through :mod:`fairprocure.spreadsheet`, so no text from the data opens as a formula.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from fairprocure.engine.plan import EXPLAINED_SCHEMA, explained
from fairprocure.progress import Progress, Step, noop
from fairprocure.report.html import render_html
from fairprocure.report.xlsx import write_xlsx
from fairprocure.schema import (
    COMPACT_REGISTER_COLUMNS,
    COMPACT_REGISTER_SCHEMA,
    REGISTER_COLUMNS,
    REGISTER_SCHEMA,
)
from fairprocure.screening import Screening
from fairprocure.spreadsheet import safe_table

OUTPUTS = (
    "register.csv",
    "register.parquet",
    "factor_sets.parquet",
    "register.xlsx",
    "report.html",
    "quality.json",
)
TOP_LINES = 10_000  # lines of register.csv and register.xlsx by default: the highest-priority ones
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header row


def write_outputs(
    screening: Screening,
    out_dir: str | Path,
    xlsx_max_rows: int | None = None,
    *,
    top: int | None = TOP_LINES,
    progress: Progress = noop,
) -> dict[str, Path]:
    """Write every output into ``out_dir`` (created if needed) and return their paths by name.

    ``top``: the lines of register.csv and register.xlsx, highest priority first (None: all of them
    in the CSV, and as many as Excel holds in the workbook); ``xlsx_max_rows`` caps the workbook
    further. Each file is written to a temporary name first and renamed, so a failed run never leaves
    a half-written register next to a complete report.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in OUTPUTS}
    total = screening.portfolio.totals["lines"] or 0

    def atomic(name: str, write) -> None:
        tmp = out / f".{name}.tmp"
        write(tmp)
        tmp.replace(paths[name])

    progress(0.0, Step("writing register.parquet", total))
    if screening.factor_sets_path is not None:  # streamed: written by the engine; not read into memory
        atomic("factor_sets.parquet", lambda p: _copy_parquet(screening.factor_sets_path, p))
    else:
        sets = screening.factor_sets()
        atomic("factor_sets.parquet", lambda p: pq.write_table(sets, p, compression="zstd"))
    if screening.register_path is not None:  # streamed: the engine's register, as it lies
        atomic("register.parquet", lambda p: _copy_parquet(screening.register_path, p))
    else:
        compact = screening.register.select(COMPACT_REGISTER_COLUMNS).cast(COMPACT_REGISTER_SCHEMA)
        atomic("register.parquet", lambda p: pq.write_table(compact, p, compression="zstd"))

    csv_lines = total if top is None else min(top, total)
    progress(0.4, Step("writing register.csv", csv_lines))
    if csv_lines > screening.register.num_rows:  # streamed, and more lines asked for than held
        sets = screening.factor_sets()  # only when more lines are asked for than are held in memory
        atomic("register.csv", lambda p: _parquet_to_csv(screening.register_path, sets, p, csv_lines, total))
    else:
        atomic("register.csv", lambda p: pacsv.write_csv(safe_table(_head(screening.register, csv_lines)), p))

    xlsx_cap = min(XLSX_MAX_ROWS, xlsx_max_rows or XLSX_MAX_ROWS)
    xlsx_lines = min(csv_lines, xlsx_cap)
    progress(0.6, Step("writing register.xlsx", xlsx_lines))
    if xlsx_lines > screening.register.num_rows:
        dataset = ds.dataset(screening.register_path, format="parquet")
        compact = dataset.to_table(filter=ds.field("priority_rank") <= xlsx_lines)
        head = _head(explained(compact, screening.factor_sets()), xlsx_lines)
    else:
        head = _head(screening.register, xlsx_lines)
    atomic("register.xlsx", lambda p: write_xlsx(screening, p, head))

    progress(0.9, Step("writing report.html and quality.json", total))
    quality = dict(screening.quality)
    quality["outputs"] = outputs_said(total, csv_lines, xlsx_lines, top)
    atomic(
        "quality.json", lambda p: p.write_text(json.dumps(quality, indent=2, ensure_ascii=False, default=str))
    )
    atomic("report.html", lambda p: p.write_text(render_html(screening, quality), encoding="utf-8"))
    progress(1.0, Step("done", total, 1.0))
    return paths


def read_register(out_dir: str | Path) -> pa.Table:
    """The register written by :func:`write_outputs`, every line with its explanation joined back
    (``schema.REGISTER_COLUMNS`` plus ``factor_set``); reads all of it into memory."""
    out = Path(out_dir)
    sets = pq.read_table(out / "factor_sets.parquet")
    return explained(pq.read_table(out / "register.parquet"), sets)


def write_explained(source: str | Path, sets: pa.Table, target: str | Path) -> None:
    """A compact register (Parquet file or directory) rewritten with its explanations joined back
    (``REGISTER_COLUMNS`` plus ``factor_set``), block by block: for a consumer that stores every line
    with its factors (the web workspace)."""
    schema, batches = _batches(Path(source))
    with pq.ParquetWriter(target, EXPLAINED_SCHEMA, compression="zstd") as writer:
        for batch in batches:
            writer.write_table(explained(pa.Table.from_batches([batch], schema=schema), sets))


def outputs_said(total: int, csv_lines: int, xlsx_lines: int, top: int | None) -> dict[str, Any]:
    """What each register file holds, for quality.json and report.html."""

    def held(lines: int) -> dict[str, Any]:
        return {"lines": lines, "of": total, "cut": lines < total, "order": "priority_rank"}

    return {
        "register.parquet": {"lines": total, "of": total, "cut": False},
        "register.csv": held(csv_lines),
        "register.xlsx": held(xlsx_lines),
        "top": top,
        "note": (
            f"register.csv holds the {csv_lines:,} highest-priority lines of {total:,} and register.xlsx "
            f"the first {xlsx_lines:,} of them; register.parquet holds every line "
            "(`fairprocure screen --all-lines` writes every line to the CSV too)."
            if csv_lines < total or xlsx_lines < total
            else "Every register file holds every line."
        ),
    }


def _head(register: pa.Table, lines: int) -> pa.Table:
    """The first ``lines`` rows by priority_rank, with their explanations (``REGISTER_COLUMNS``)."""
    return register.sort_by("priority_rank").slice(0, lines).select(REGISTER_COLUMNS)


def _batches(source: Path, columns: list[str] | None = None):
    """Schema and record batches of a Parquet file or directory, one row group at a time (no read-ahead)."""
    files = sorted(source.glob("*.parquet")) if source.is_dir() else [source]

    def batches():
        for file in files:
            yield from pq.ParquetFile(file).iter_batches(batch_size=16_384, columns=columns)

    return ds.dataset(files, format="parquet").schema, batches()


def _copy_parquet(source: Path, target: Path) -> None:
    """One Parquet file from a file (copied as it is) or a directory of part files (as Spark writes them)."""
    if source.is_file():
        shutil.copyfile(source, target)
        return
    schema, batches = _batches(source)
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)


def _parquet_to_csv(source: Path, sets: pa.Table, target: Path, lines: int, total: int) -> None:
    """The ``lines`` highest-priority lines of a streamed register as CSV, explanations joined back.

    Every line: block by block, in the register's own order; fewer: those ranked ``<= lines``, sorted.
    """
    if lines >= total:
        _, batches = _batches(source)
        with pacsv.CSVWriter(target, REGISTER_SCHEMA) as writer:
            for batch in batches:
                rows = explained(pa.Table.from_batches([batch]), sets).select(REGISTER_COLUMNS)
                writer.write_table(safe_table(rows))
        return
    table = ds.dataset(source, format="parquet").to_table(filter=ds.field("priority_rank") <= lines)
    pacsv.write_csv(safe_table(_head(explained(table, sets), lines)), target)
