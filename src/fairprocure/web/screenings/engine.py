"""The one place the workspace calls the screening library."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pyarrow as pa


def screen_file(
    path: Path,
    progress: Callable[[float, str], None],
    supplier_evidence: Path | None = None,
    decisions: Path | None = None,
    model: Path | None = None,
) -> tuple[pa.Table, list, dict]:
    """Screen one file; return the register table, problems and data quality.

    ``supplier_evidence``: the supplier registry's evidence as a ``--supplier-evidence`` CSV;
    ``decisions``: the office's classification decisions in force (a ``--decisions`` file);
    ``model``: the organisation's retrained text model (else the shipped one).
    """
    from fairprocure.screening import screen

    classifier = own_model(model).predict if model else None
    result = screen(
        [path],
        progress=progress,
        stream=False,
        supplier_evidence=supplier_evidence,
        decisions=decisions,
        classifier=classifier,
    )  # the workspace stores every line
    return result.register, list(result.problems), dict(result.quality)


def own_model(path: str | Path):
    """An organisation's retrained text model, read once per file version (the last two kept)."""
    return _read_model(str(path), Path(path).stat().st_mtime)


@lru_cache(maxsize=2)
def _read_model(path: str, mtime: float):
    from fairprocure.classify.model import read_model

    return read_model(path)
