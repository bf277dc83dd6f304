"""The one place the workspace calls the screening library."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa


def screen_file(
    path: Path, progress: Callable[[float, str], None], supplier_evidence: Path | None = None
) -> tuple[pa.Table, list, dict]:
    """Screen one file; return the register table, problems and data quality.

    ``supplier_evidence``: the supplier registry's evidence as a ``--supplier-evidence`` CSV.
    """
    from fairprocure.screening import screen

    result = screen(
        [path], progress=progress, stream=False, supplier_evidence=supplier_evidence
    )  # the workspace stores every line
    return result.register, list(result.problems), dict(result.quality)
