"""Read every source file given (files or directories) into one line table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa

from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.identity import uniquify
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import Ingested, IngestError, Problem


def _expand(paths: Sequence[str | Path]) -> list[tuple[str, Path]]:
    """(path as given, file) for each file; directories give their supported files, sorted."""
    out: list[tuple[str, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if detect_format(child) is not None:
                    out.append((str(child), child))
        else:
            out.append((str(given), path))
    return out


def _read_one(
    source: str, path: Path, mapping: Mapping, progress
) -> tuple[pa.Table | None, list[Problem], dict]:
    if not path.exists():
        raise IngestError(f"{source}: no such file or directory")
    kind = detect_format(path)
    if kind is None:
        raise IngestError(f"{source}: not a recognised format (OCDS JSON/JSON Lines, CSV, XLSX)")
    if kind in ("csv", "xlsx", "json"):
        from fairprocure.ingest.ledger import read_ledger

        lines, problems, stats = read_ledger(path, kind, mapping, source)
    else:
        from fairprocure.ingest.ocds import read_ocds

        lines, problems, stats = read_ocds(path, source)
    if progress is not None:
        progress(stats["records_read"])
    return lines, problems, stats


def _dedupe_ids(table: pa.Table) -> pa.Table:
    """Make line_id unique across files: later repeats get "#2", "#3", ... in reading order."""
    unique = uniquify(table["line_id"].to_pylist())
    if unique is None:
        return table
    return table.set_column(table.schema.get_field_index("line_id"), "line_id", pa.array(unique, pa.string()))


def read_sources(
    paths: Sequence[str | Path],
    mapping: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
) -> Ingested:
    """Read OCDS and spend-ledger files into canonical lines (``fairprocure.schema.LINE_SCHEMA``).

    A file that cannot be read at all is recorded as a quarantined Problem naming the reason; the
    others are still read. ``progress`` is called with the number of records of each file read.
    """
    mapping = mapping or Mapping()
    result = Ingested()
    tables = []
    for source, path in _expand(paths):
        try:
            lines, problems, stats = _read_one(source, path, mapping, progress)
        except IngestError as error:
            result.problems.append(Problem(source, "whole file", None, str(error), "quarantined"))
            result.stats[source] = {
                "format": detect_format(path) if path.is_file() else None,
                "records_read": 0,
                "lines": 0,
                "quarantined": 0,
                "error": str(error),
            }
            continue
        result.problems.extend(problems)
        result.stats[source] = stats
        if lines is not None and lines.num_rows:
            tables.append(lines)
    if tables:
        combined = pa.concat_tables(tables).combine_chunks()
        result.lines = _dedupe_ids(combined)
    return result


__all__ = ["read_sources"]
