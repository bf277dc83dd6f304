"""Write a screening's outputs: the register (CSV, Parquet, XLSX), report.html and quality.json."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from fairprocure.report.html import render_html
from fairprocure.report.xlsx import write_xlsx
from fairprocure.screening import Screening

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

    atomic("register.parquet", lambda p: pq.write_table(register, p, compression="zstd"))
    atomic("register.csv", lambda p: pacsv.write_csv(register, p))
    atomic("register.xlsx", lambda p: write_xlsx(screening, p, xlsx_max_rows))
    quality = screening.quality
    atomic(
        "quality.json", lambda p: p.write_text(json.dumps(quality, indent=2, ensure_ascii=False, default=str))
    )
    atomic("report.html", lambda p: p.write_text(render_html(screening, quality), encoding="utf-8"))
    return paths
