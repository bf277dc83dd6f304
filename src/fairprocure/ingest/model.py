"""What every reader returns: the lines, the problems found, and per-file counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pyarrow as pa

from fairprocure.schema import empty_lines


class IngestError(ValueError):
    """A source file cannot be read at all (its message names the file and what to do)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the input.

    ``action`` is ``"quarantined"`` when the record produced no line, ``"kept"`` when its line was
    screened anyway (the problem is then also in the line's ``data_issues``).
    """

    file: str
    record: str
    field: str | None
    message: str
    action: Literal["quarantined", "kept"]


@dataclass
class Ingested:
    """Result of :func:`fairprocure.ingest.read_sources`."""

    lines: pa.Table = field(default_factory=empty_lines)
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, dict] = field(default_factory=dict)
