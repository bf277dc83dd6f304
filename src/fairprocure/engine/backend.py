"""What the screening plan needs from a SQL engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pyarrow as pa


class Backend(Protocol):
    name: str

    def load(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name`` (replacing any earlier one)."""

    def load_parquet(self, name: str, path: str | Path) -> None:
        """Make a Parquet file or directory of Parquet files queryable as ``name``, read where it lies."""

    def write_parquet(self, query: str, path: str | Path, temporary: bool = False) -> None:
        """Write a query's result as Parquet at ``path`` (a file, or a directory of part files).

        ``temporary``: the file is read once more and deleted; the backend may compress it less.
        """

    def write_ranked(self, source: str, order_by: str, path: str, top: int = 0) -> pa.Table:
        """Copy the Parquet register at ``source`` to ``path`` with ``priority_rank`` = row_number() by
        ``order_by``; return the lines ranked 1 to ``top``, in any order."""

    def execute(self, statement: str) -> None:
        """Run a statement that returns nothing (``CREATE OR REPLACE TEMP VIEW ...``)."""

    def fetch(self, query: str) -> pa.Table:
        """Run a query and return its result as Arrow."""

    def days_between(self, start: str, end: str) -> str:
        """SQL expression for the number of days from date ``start`` to date ``end``."""

    def reset(self, keep: Sequence[str] = ()) -> None:
        """Forget every loaded table and view but those named in ``keep`` (tables given to :meth:`load`),
        and hand back the memory the others and earlier queries held."""

    def release(self) -> None:
        """Hand back the memory earlier queries kept, keeping every table and view (may do nothing)."""

    def close(self) -> None: ...
