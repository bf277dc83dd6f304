"""Streaming ingest: large CSV ledgers and OCDS JSON Lines, read block by block, staged to Parquet.

Memory stays flat however large the input: a block is read, turned into canonical lines by the same
code as :func:`fairprocure.ingest.read_sources` (:func:`~fairprocure.ingest.ledger.ledger_lines`,
:func:`~fairprocure.ingest.ocds.ocds_lines`) and appended to one Parquet file per source.

- CSV: read block by block by :func:`fairprocure.ingest.ledger.iter_ledger` (``pyarrow.csv.open_csv``
  with an explicit all-text schema). Columns are recognised on the first block and kept for the rest. A
  malformed row (wrong number of fields) makes the file be re-read with Python's ``csv`` module, which
  knows row numbers: the row is repaired when exactly one repair fits, else quarantined, and every other
  row keeps its number.
- OCDS JSON Lines: parsed with orjson; a broken line is quarantined with its line number. A file
  larger than one bucket is first spread over bucket files by ``ocid`` (one pass), so that releases
  of one contracting process are merged wherever they are in the file, and buckets are read one at a
  time. (A line holding a whole package goes to the bucket of the empty ocid.)
- XLSX and single OCDS JSON documents are read whole (their formats cannot be streamed).

Line ids (:mod:`fairprocure.ingest.identity`) that repeat across files or blocks get ``#2``, ``#3`` ... in
reading order, as in memory.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.ledger import FileResult, iter_ledger, read_ledger
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError, Problem
from fairprocure.ingest.ocds import ocds_lines, read_ocds
from fairprocure.ingest.sources import _expand
from fairprocure.ingest.tabular import BLOCK_BYTES
from fairprocure.schema import LINE_SCHEMA

JSONL_BUCKET_BYTES = 48 << 20  # JSON text of one bucket; parsed, it takes ~10x that


@dataclass
class Staged:
    """Lines staged as Parquet (``path``: a directory of ``*.parquet`` files, ``LINE_SCHEMA``)."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, dict] = field(default_factory=dict)
    lines: int = 0


class _FileStats:
    def __init__(self, kind: str) -> None:
        self.stats = {"format": kind, "records_read": 0, "lines": 0, "quarantined": 0}
        self.problems: list[Problem] = []

    def add(self, lines: pa.Table, problems: list[Problem], records: int, writer: pq.ParquetWriter) -> None:
        if lines.num_rows:
            writer.write_table(lines.cast(LINE_SCHEMA))
        self.problems.extend(problems)
        self.stats["records_read"] += records
        self.stats["lines"] += lines.num_rows
        self.stats["quarantined"] += sum(p.action == "quarantined" for p in problems)


# ---- CSV -------------------------------------------------------------------------------------------


Tick = Callable[[int, float], None]  # (records read so far in this file, share of the file read)


def _no_tick(records: int, share: float) -> None:
    pass


def _stage_csv(
    path: Path, source: str, mapping: Mapping, out: Path, block_bytes: int, tick: Tick = _no_tick
) -> tuple[dict, list[Problem]]:
    """Stage a CSV ledger block by block; on a malformed row, start again with the exact reader."""
    try:
        return _write_csv_blocks(path, source, mapping, out, block_bytes, exact=False, tick=tick)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        out.unlink(missing_ok=True)
        return _write_csv_blocks(path, source, mapping, out, block_bytes, exact=True, tick=tick)


def _write_csv_blocks(
    path: Path, source: str, mapping: Mapping, out: Path, block_bytes: int, exact: bool, tick: Tick = _no_tick
) -> tuple[dict, list[Problem]]:
    result = FileResult("csv")
    size = max(path.stat().st_size, 1)
    blocks = 0
    with pq.ParquetWriter(out, LINE_SCHEMA, compression="zstd") as writer:
        for lines in iter_ledger(path, "csv", mapping, source, result, block_bytes, exact):
            if lines.num_rows:
                writer.write_table(lines.cast(LINE_SCHEMA))
            blocks += 1  # a block is about block_bytes of the file: the share read is an estimate
            tick(result.records, min(0.99, blocks * block_bytes / size))
    return result.stats, result.problems


# ---- OCDS JSON Lines ------------------------------------------------------------------------------


def _is_json_lines(path: Path) -> bool:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    orjson.loads(line)
                    return True
                except orjson.JSONDecodeError:
                    return False
    return False


def _bucket_lines(
    path: Path, buckets: int, folder: Path, tick: Tick = _no_tick
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Spread the file's lines over ``buckets`` files by ocid, so each contracting process is whole in one."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"bucket-{i:04d}.jsonl" for i in range(buckets)]
    handles = [f.open("wb") for f in files]
    bad: list[tuple[str, str]] = []
    size = max(path.stat().st_size, 1)
    try:
        with path.open("rb") as source:
            for number, line in enumerate(source, start=1):
                if not number % 20_000:
                    tick(0, 0.5 * source.tell() / size)  # the first pass is about half the work
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as error:
                    bad.append((f"line {number}", f"not valid JSON (truncated or broken): {error}"))
                    continue
                ocid = obj.get("ocid") if isinstance(obj, dict) else None
                key = ocid.encode() if isinstance(ocid, str) else b""
                handles[zlib.crc32(key) % buckets].write(b"%d\t%s\n" % (number, line.rstrip(b"\r\n")))
    finally:
        for handle in handles:
            handle.close()
    return files, bad


def _jsonl_groups(
    path: Path, bucket_bytes: int, work: Path, tick: Tick = _no_tick
) -> Iterator[tuple[list, list]]:
    """(objects, bad) groups in which every ocid is whole: the file itself if small, else its buckets."""
    buckets = -(-path.stat().st_size // bucket_bytes)
    if buckets <= 1:
        objects, bad = [], []
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        objects.append((f"line {number}", orjson.loads(line)))
                    except orjson.JSONDecodeError as error:
                        bad.append((f"line {number}", f"not valid JSON (truncated or broken): {error}"))
        yield objects, bad
        return
    files, bad = _bucket_lines(path, buckets, work, tick)
    yield [], bad
    for file in files:
        objects = []
        with file.open("rb") as handle:
            for line in handle:
                number, _, text = line.partition(b"\t")
                objects.append((f"line {int(number)}", orjson.loads(text)))
        file.unlink()
        if objects:
            yield sorted(objects, key=lambda o: int(o[0][5:])), []


def _stage_jsonl(
    path: Path, source: str, out: Path, bucket_bytes: int, tick: Tick = _no_tick
) -> tuple[dict, list[Problem]]:
    result = _FileStats("ocds")
    enabled = gc.isenabled()
    gc.disable()  # a bucket is millions of new dicts and no cycles: collections would only walk them (2x slower)
    buckets = -(-path.stat().st_size // bucket_bytes)
    done = 0
    try:
        with pq.ParquetWriter(out, LINE_SCHEMA, compression="zstd") as writer:
            groups = _jsonl_groups(path, bucket_bytes, out.parent / f"{out.stem}-buckets", tick)
            for objects, bad in groups:
                lines, problems, stats = ocds_lines(objects, bad, source)
                result.add(lines, problems, stats["records_read"], writer)
                del objects
                done += 1  # the first group holds only the lines that are not JSON
                share = 1.0 if buckets <= 1 else 0.5 + 0.5 * max(done - 1, 0) / buckets
                tick(result.stats["records_read"], min(share, 0.99))
    finally:
        if enabled:
            gc.enable()
    return result.stats, result.problems


# ---- all sources ---------------------------------------------------------------------------------


def _stage_whole(path: Path, kind: str, source: str, mapping: Mapping, out: Path) -> tuple[dict, list]:
    if kind == "ocds":
        lines, problems, stats = read_ocds(path, source)
    else:
        lines, problems, stats = read_ledger(path, kind, mapping, source)
    pq.write_table(lines.cast(LINE_SCHEMA), out, compression="zstd")
    return stats, problems


def stage_sources(
    paths: Sequence[str | Path],
    workdir: str | Path,
    mapping: Mapping | None = None,
    block_bytes: int = BLOCK_BYTES,
    jsonl_bucket_bytes: int = JSONL_BUCKET_BYTES,
    progress: Callable[[int, float], None] | None = None,
) -> Staged:
    """Read every source into ``workdir/lines/*.parquet`` in bounded memory; see the module docstring.

    ``progress(records, share)`` is called as the reading goes: records read so far (all files) and
    the share of the input's bytes read (estimated within a file).
    """
    mapping = mapping or Mapping()
    folder = Path(workdir) / "lines"
    folder.mkdir(parents=True, exist_ok=True)
    staged = Staged(folder)
    sources = _expand(paths)
    sizes = [p.stat().st_size if p.is_file() else 0 for _, p in sources]
    total = max(sum(sizes), 1)
    records_before = bytes_before = 0
    for index, (source, path) in enumerate(sources):
        out = folder / f"part-{index:05d}.parquet"
        kind = detect_format(path) if path.exists() else None

        tick = _file_ticker(progress, records_before, bytes_before, sizes[index], total)

        try:
            if not path.exists():
                raise IngestError(f"{source}: no such file or directory")
            if kind is None:
                raise IngestError(f"{source}: not a recognised format (OCDS JSON/JSON Lines, CSV, XLSX)")
            if kind == "csv":
                stats, problems = _stage_csv(path, source, mapping, out, block_bytes, tick)
            elif kind == "ocds" and _is_json_lines(path):
                stats, problems = _stage_jsonl(path, source, out, jsonl_bucket_bytes, tick)
            else:
                stats, problems = _stage_whole(path, kind, source, mapping, out)
        except IngestError as error:
            out.unlink(missing_ok=True)
            staged.problems.append(Problem(source, "whole file", None, str(error), "quarantined"))
            staged.stats[source] = {
                "format": kind,
                "records_read": 0,
                "lines": 0,
                "quarantined": 0,
                "error": str(error),
            }
            bytes_before += sizes[index]
            continue
        staged.problems.extend(problems)
        staged.stats[source] = stats
        staged.lines += stats["lines"]
        records_before += stats["records_read"]
        bytes_before += sizes[index]
        tick(stats["records_read"], 1.0)
    _dedupe_ids(folder)  # record ids and fingerprints may repeat, within a file or across files
    return staged


def _file_ticker(
    progress: Callable[[int, float], None] | None, records: int, done: int, size: int, total: int
) -> Tick:
    """A file's tick, reporting to ``progress`` the records and bytes of the whole input."""
    if progress is None:
        return _no_tick

    def tick(read: int, share: float) -> None:
        progress(records + read, (done + share * size) / total)

    return tick


def _dedupe_ids(folder: Path) -> None:
    """Rewrite the staged lines with "#2", "#3" ... on repeated line ids, in reading order (if any repeat)."""
    import duckdb

    files = f"read_parquet('{folder}/*.parquet', filename = true, file_row_number = true)"
    con = duckdb.connect()
    try:
        if not any(folder.glob("*.parquet")):
            return
        total, distinct = con.execute(f"SELECT count(*), count(DISTINCT line_id) FROM {files}").fetchone()
        if total == distinct:
            return
        columns = ", ".join(f'"{c}"' for c in LINE_SCHEMA.names if c != "line_id")
        con.execute(f"""
            COPY (
              SELECT CASE WHEN k = 1 THEN line_id ELSE line_id || '#' || CAST(k AS VARCHAR) END AS line_id, {columns}
              FROM (SELECT *, row_number() OVER (PARTITION BY line_id ORDER BY filename, file_row_number) AS k
                    FROM {files})
              ORDER BY filename, file_row_number
            ) TO '{folder}/deduped.parquet.tmp' (FORMAT parquet, COMPRESSION zstd)""")
    finally:
        con.close()
    for part in folder.glob("*.parquet"):
        part.unlink()
    (folder / "deduped.parquet.tmp").rename(folder / "part-00000.parquet")
