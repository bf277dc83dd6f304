"""Streaming ingest: large CSV ledgers and OCDS JSON Lines, read block by block, staged to Parquet.

Memory stays flat however large the input: a block is read, turned into canonical lines by the same
code as :func:`fairprocure.ingest.read_sources` (:func:`~fairprocure.ingest.ledger.ledger_lines`,
:func:`~fairprocure.ingest.ocds.ocds_lines`) and written as Parquet: one file per source, or for a
CSV ledger one per block (``part-00000-000007.parquet``), written by the process that read the block.

- CSV: read block by block by :func:`fairprocure.ingest.ledger.iter_ledger` (``pyarrow.csv.open_csv``
  with an explicit all-text schema). Columns are recognised on the first block and kept for the rest. A
  malformed row (wrong number of fields) makes the file be re-read with Python's ``csv`` module, which
  knows row numbers: the row is repaired when exactly one repair fits, else quarantined, and every other
  row keeps its number.
- OCDS JSON Lines: a first pass indexes the lines (offset, length) into buckets by ``ocid``, found
  with a regular expression and parsed only when that is ambiguous, so that releases of one
  contracting process are merged wherever they are in the file; then each bucket is parsed (msgspec
  keeps each line's top-level values as text, orjson parses the ones that are read; a broken line is
  quarantined with its line number and orjson's reason), merged, validated and turned into lines. A
  line holding a whole package goes to the bucket of the empty ocid. Files of 128 MB or more run both
  passes in worker processes (one per CPU; one process inside a daemonic process such as a web job;
  the reference data loads while the first pass runs); the lines, problems and their order are the same.
- XLSX and single OCDS JSON documents are read whole (their formats cannot be streamed).

Line ids (:mod:`fairprocure.ingest.identity`) that repeat across files or blocks get ``#2``, ``#3`` ... in
reading order, as in memory.
"""

from __future__ import annotations

import functools
import gc
import re
import shutil
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fairprocure.ingest.detect import detect_format
from fairprocure.ingest.ledger import FileResult, iter_ledger, read_ledger
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError, Problem
from fairprocure.ingest.ocds import ocds_lines, read_ocds
from fairprocure.ingest.sources import _expand
from fairprocure.ingest.tabular import BLOCK_BYTES
from fairprocure.schema import LINE_SCHEMA, dictionary_columns
from fairprocure.workers import default_workers, may_have_children

_DICTIONARY = dictionary_columns(LINE_SCHEMA)  # ids and fingerprints are not dictionary-encoded
JSONL_BUCKET_BYTES = 48 << 20  # JSON text of one bucket; parsed, it takes ~10x that
JSONL_PARALLEL_BYTES = 128 << 20  # JSON Lines files at least this large are read by worker processes


def _lines_writer(path: Path) -> pq.ParquetWriter:
    """A Parquet file of staged lines, as every staging path writes them."""
    return pq.ParquetWriter(path, LINE_SCHEMA, compression="zstd", use_dictionary=_DICTIONARY)


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

    def add(self, lines: pa.Table, problems: list[Problem], stats: dict, writer: pq.ParquetWriter) -> None:
        if lines.num_rows:
            writer.write_table(lines.cast(LINE_SCHEMA))
        self.problems.extend(problems)
        self.stats["records_read"] += stats["records_read"]
        self.stats["lines"] += lines.num_rows
        self.stats["quarantined"] += sum(p.action == "quarantined" for p in problems)
        if "schema_validated" in stats:
            self.stats["schema_validated"] = self.stats.get("schema_validated", 0) + stats["schema_validated"]


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
        _remove_staged(out)
        return _write_csv_blocks(path, source, mapping, out, block_bytes, exact=True, tick=tick)


def _write_csv_blocks(
    path: Path, source: str, mapping: Mapping, out: Path, block_bytes: int, exact: bool, tick: Tick = _no_tick
) -> tuple[dict, list[Problem]]:
    """Each block's lines to a file of its own, ``out``'s name and the block's number (``part-00000-000007
    .parquet``), written by the process that read the block: the lines never cross between processes."""
    result = FileResult("csv")
    size = max(path.stat().st_size, 1)
    sink = functools.partial(_write_block, out)
    blocks = iter_ledger(path, "csv", mapping, source, result, block_bytes, exact, sink)
    for done, _ in enumerate(blocks, 1):  # a block is about block_bytes of the file: the share is an estimate
        tick(result.records, min(0.99, done * block_bytes / size))
    return result.stats, result.problems


def _write_block(out: Path, number: int, lines: pa.Table) -> None:
    """Stage one block's lines as ``{out's stem}-{number:06d}.parquet`` (name order is reading order)."""
    path = out.with_name(f"{out.stem}-{number:06d}.parquet")
    with _lines_writer(path) as writer:
        if lines.num_rows:
            writer.write_table(lines.cast(LINE_SCHEMA))


def _remove_staged(out: Path) -> None:
    """Remove what staging one source wrote: ``out`` and its blocks' files."""
    out.unlink(missing_ok=True)
    for block in out.parent.glob(f"{out.stem}-*.parquet"):
        block.unlink()


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


_OCID = re.compile(rb'"ocid"\s*:\s*"([^"\\]*)"')
_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.strip() removes


def _bucket_key(data: bytes | bytearray, start: int = 0, end: int | None = None) -> bytes:
    """The ocid the JSON line ``data[start:end]`` is bucketed under, found without parsing the line when
    that is unambiguous.

    When every ``"ocid"`` in the line is a key with the same plain string value, that value is the
    line's own ocid (or its compiled release's). Otherwise (several values, escapes, a value that is not
    a string, "ocid" as a value) the line is parsed: its ocid, else its compiled release's; ``b""`` for
    a package, a broken line or a line without one.
    """
    end = len(data) if end is None else end
    value, at = None, data.find(b'"ocid"', start, end)
    if at < 0:
        return b""
    while at >= 0:  # every "ocid" in the line, as bytes.count finds them
        match = _OCID.match(data, at, end)
        if match is None or (value is not None and match[1] != value):
            value = None
            break
        value, at = match[1], data.find(b'"ocid"', at + 6, end)
    if value is not None:
        return bytes(value)
    try:
        obj = orjson.loads(data[start:end])
    except orjson.JSONDecodeError:
        return b""
    if not isinstance(obj, dict):
        return b""
    ocid = obj.get("ocid")
    if not isinstance(ocid, str) and isinstance(obj.get("compiledRelease"), dict):
        ocid = obj["compiledRelease"].get("ocid")
    return ocid.encode() if isinstance(ocid, str) else b""


def _file_lines(handle, position: int, chunk: int = 8 << 20) -> Iterator[tuple[int, bytearray, int, int]]:
    """The lines from ``position`` on, read in large blocks into one buffer, without copying them: one
    (offset in the file, buffer, start, end) per line, the line being ``buffer[start:end]`` with its
    newline. The buffer is reused: a line is valid until the next one is asked for.
    """
    handle.seek(position)
    buffer, filled = bytearray(chunk), 0
    while True:
        with memoryview(buffer) as view:
            read = handle.readinto(view[filled:])
        if not read:
            break
        filled += read
        begin = 0
        while (end := buffer.find(b"\n", begin, filled)) >= 0:
            yield position, buffer, begin, end + 1
            position += end + 1 - begin
            begin = end + 1
        if begin:  # the unfinished line moves to the front
            buffer[: filled - begin] = buffer[begin:filled]
            filled -= begin
        elif filled == len(buffer):  # a line longer than the buffer
            buffer.extend(bytes(len(buffer)))
    if filled:
        yield position, buffer, 0, filled


def _index_range(path: str, start: int, end: int, buckets: int) -> tuple[np.ndarray, int]:
    """Index the lines that start in bytes [start, end) of the file, without parsing them.

    Returns one row (line index within the range, offset, length, bucket) per non-blank line and the
    number of lines (blank ones too) starting in the range.
    """
    rows = array("q")
    index = 0
    with open(path, "rb", buffering=0) as handle:
        lines = _file_lines(handle, max(start - 1, 0))
        if start:
            next(lines, None)  # the end of a line begun before ``start`` belongs to the range before
        for position, data, begin, stop in lines:
            if position >= end:
                break
            index += 1
            if data[begin] in _SPACE and data[begin:stop].isspace():
                continue  # a blank line
            while data[stop - 1] in (10, 13):  # without its line break (\n, \r\n)
                stop -= 1
            bucket = zlib.crc32(_bucket_key(data, begin, stop)) % buckets if buckets > 1 else 0
            rows.extend((index - 1, position, stop - begin, bucket))
    return np.frombuffer(rows, np.int64).reshape(-1, 4), index


def _read_bucket(path: str, rows: np.ndarray, source: str) -> tuple[pa.Table, list[Problem], dict]:
    """Parse the lines ``rows`` (line number, offset, length) of the file and turn them into lines."""
    enabled = gc.isenabled()
    gc.disable()  # a bucket is millions of new dicts and no cycles: collections would only walk them (2x slower)
    try:
        with open(path, "rb") as handle:
            texts = []
            for number, offset, length in rows.tolist():
                handle.seek(offset)
                texts.append((f"line {number}", handle.read(length)))
        objects, bad = _parse_lines(texts)
        del texts
        return ocds_lines(objects, bad, source)
    finally:
        if enabled:
            gc.enable()


_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])  # a JSON object's keys, its values left as JSON text
_OPEN_LIST, _OPEN_OBJECT = ord("["), ord("{")


def _parse_lines(texts: list[tuple[str, bytes]]) -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    """(place, object) for each JSON line and (place, reason) for each broken one, as
    :func:`fairprocure.ingest.ocds.ocds_lines` takes them.

    Only what the lines are made of is turned into Python objects. A record with a ``compiledRelease``
    gives its ocid and compiled release (its ``versionedRelease`` and ``releases`` are never read), and a
    release whose ocid has such a record among these lines gives its ocid alone (the compiled release
    wins over it). The rest of such a line is still checked to be JSON in UTF-8 (msgspec's parser, which
    keeps values as text). Every other line is parsed whole with orjson, and so is any line msgspec
    rejects, so a broken line is quarantined with orjson's reason. The objects, and so the lines and
    problems, are those of parsing every line whole; the only difference is that a number too large
    for a double in a part that is not read no longer breaks the line.
    """
    tops: list[dict | None] = []
    compiled: set[str] = set()
    for _, text in texts:
        try:
            top = _TOP.decode(text)
        except (msgspec.DecodeError, RecursionError):  # not an object, broken, or nested deeply
            top = None
        tops.append(top)
        if top is not None and (ocid := _compiled_ocid(top)) is not None:
            compiled.add(ocid)
    objects, bad = [], []
    for (place, text), top in zip(texts, tops, strict=True):
        obj = _lazy(top, text, compiled) if top is not None else None
        if obj is None:
            try:
                obj = orjson.loads(text)
            except orjson.JSONDecodeError as error:
                bad.append((place, f"not valid JSON (truncated or broken): {error}"))
                continue
        objects.append((place, obj))
    return objects, bad


def _kind(top: dict) -> str:
    """How :func:`fairprocure.ingest.ocds.ocds_lines` reads a JSON object: package, record or release."""
    releases, records = top.get("releases"), top.get("records")
    if releases is not None and memoryview(releases)[0] == _OPEN_LIST and "ocid" not in top:
        return "package"
    if records is not None and memoryview(records)[0] == _OPEN_LIST:
        return "package"
    return "record" if "compiledRelease" in top or "releases" in top else "release"


def _ocid(top: dict) -> str | None:
    raw = top.get("ocid")
    ocid = orjson.loads(memoryview(raw)) if raw is not None else None
    return ocid if isinstance(ocid, str) and ocid else None


def _compiled_ocid(top: dict) -> str | None:
    """The ocid of a record with a compiled release (an object) and an ocid of its own, else None."""
    if _kind(top) != "record":
        return None
    release = top.get("compiledRelease")
    return _ocid(top) if release is not None and memoryview(release)[0] == _OPEN_OBJECT else None


def _lazy(top: dict, text: bytes, compiled: set[str]) -> dict | None:
    """The parts of a line that are read (see :func:`_parse_lines`), or None to parse it whole."""
    ocid = _compiled_ocid(top)
    if ocid is not None and _utf8(text):
        return {"ocid": ocid, "compiledRelease": orjson.loads(memoryview(top["compiledRelease"]))}
    if ocid is None and compiled and _kind(top) == "release" and _ocid(top) in compiled and _utf8(text):
        return {"ocid": _ocid(top)}
    return None


def _utf8(text: bytes) -> bool:
    if text.isascii():
        return True
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False  # orjson rejects the line: it is parsed whole to say why
    return True


def _warm() -> None:
    """Load the reference data a bucket needs (schema, merge rules, countries, exchange rates) once."""
    import datetime as dt

    from fairprocure.ingest.ocds import _merger, _validator
    from fairprocure.reference.countries import to_iso3
    from fairprocure.reference.cpv import normalise_cpv
    from fairprocure.reference.currency import eur_rate

    _validator(), _merger(), normalise_cpv("03000000-1")
    to_iso3("Atlantis")  # an unknown name walks every table: CLDR names and country_converter's
    eur_rate("USD", dt.date(2020, 1, 1)), eur_rate("PYG", dt.date(2020, 1, 1))  # ECB, World Bank rates


def _pool(workers: int, warm: bool = True) -> ProcessPoolExecutor:
    """Worker processes. With ``warm``, forked after the reference data is loaded (Linux, no other
    threads running), else started fresh (forkserver, spawn) and loading it themselves; without, for
    work that needs none (the index pass)."""
    import multiprocessing
    import threading

    if warm:
        _warm()
    if sys.platform == "linux":
        method = "fork" if threading.active_count() == 1 else "forkserver"
    else:
        method = "spawn"
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_warm if warm else None)


def _stage_jsonl(
    path: Path,
    source: str,
    out: Path,
    bucket_bytes: int,
    tick: Tick = _no_tick,
    workers: int = 1,
    parallel_bytes: int = 0,
) -> tuple[dict, list[Problem]]:
    """Stage OCDS JSON Lines: index the lines by ocid bucket, then turn each bucket into lines.

    Both passes run in ``workers`` processes when the file is at least ``parallel_bytes`` and larger
    than one bucket; the lines, problems and stats are the same as read in one process, in the same order.
    """
    result = _FileStats("ocds")
    size = path.stat().st_size
    buckets = max(1, -(-size // bucket_bytes))
    workers = workers if buckets > 1 and size >= parallel_bytes and may_have_children() else 1
    parts = min(workers * 4, max(1, size >> 20))  # ranges of the first pass
    bounds = [size * i // parts for i in range(parts + 1)]
    starts, ends = bounds[:-1], bounds[1:]
    n = len(starts)
    if workers > 1:  # the reference data loads here while the workers index the file
        with _pool(workers, warm=False) as indexers:
            ranges = indexers.map(_index_range, [str(path)] * n, starts, ends, [buckets] * n)
            _warm()
            ranges = list(ranges)
    else:
        ranges = map(_index_range, [str(path)] * n, starts, ends, [buckets] * n)
    pool = _pool(workers) if workers > 1 else None  # after the indexers: forked with the reference data
    run = pool.map if pool is not None else map
    try:
        found, lines_before = [], 0
        for rows, count in ranges:
            rows = rows.copy()
            rows[:, 0] += lines_before + 1  # line numbers, as an editor shows them
            found.append(rows)
            lines_before += count
        tick(0, 0.1)
        index = np.concatenate(found) if found else np.empty((0, 4), np.int64)
        groups = [index[index[:, 3] == b, :3] for b in range(buckets)]
        groups = [g for g in groups if len(g)]
        with _lines_writer(out) as writer:
            outputs = run(_read_bucket, [str(path)] * len(groups), groups, [source] * len(groups))
            for done, (lines, problems, stats) in enumerate(outputs, start=1):
                result.add(lines, problems, stats, writer)
                tick(result.stats["records_read"], min(0.1 + 0.9 * done / max(len(groups), 1), 0.99))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if workers > 1:
        result.stats["workers"] = workers
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
    workers: int | None = None,
    jsonl_parallel_bytes: int = JSONL_PARALLEL_BYTES,
) -> Staged:
    """Read every source into ``workdir/lines/*.parquet`` in bounded memory; see the module docstring.

    ``progress(records, share)`` is called as the reading goes: records read so far (all files) and
    the share of the input's bytes read (estimated within a file). OCDS JSON Lines files of at least
    ``jsonl_parallel_bytes`` are read by ``workers`` processes (default: the CPUs available).
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
                stats, problems = _stage_jsonl(
                    path,
                    source,
                    out,
                    jsonl_bucket_bytes,
                    tick,
                    workers or default_workers(),
                    jsonl_parallel_bytes,
                )
            else:
                stats, problems = _stage_whole(path, kind, source, mapping, out)
        except IngestError as error:
            _remove_staged(out)
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
    """Give repeated line ids "#2", "#3" ... in reading order (files in name order, rows in file order).

    The engine numbers the repeats from the narrow (line id, file, row) columns only; each part file is
    then rewritten batch by batch with the new ids, so memory stays flat however many lines repeat.
    """
    import duckdb

    parts = sorted(folder.glob("*.parquet"))
    if not parts:
        return
    files = f"read_parquet('{folder}/*.parquet', filename = true, file_row_number = true)"
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '500MB'; SET temp_directory = '{folder / 'spill'}'")
        if _ids_distinct(con, f"read_parquet('{folder}/*.parquet')"):
            return
        names = pa.table(
            {"f_name": [p.name for p in parts], "f_index": pa.array(range(len(parts)), pa.int32())}
        )
        con.register("part_files", names)
        repeats = con.execute(f"""
            SELECT f.f_index AS part, CAST(r.file_row_number AS BIGINT) AS n, CAST(r.k AS BIGINT) AS k
            FROM (SELECT filename, file_row_number,
                         row_number() OVER (PARTITION BY line_id ORDER BY filename, file_row_number) AS k
                  FROM {files}) r
            JOIN part_files f ON parse_filename(r.filename) = f.f_name
            WHERE r.k > 1""").fetch_arrow_table()
    finally:
        con.close()
    shutil.rmtree(folder / "spill", ignore_errors=True)
    part = repeats.column("part").to_numpy()
    numbers, suffixes = repeats.column("n").to_numpy(), repeats.column("k").to_numpy()
    del repeats
    for index, path in enumerate(parts):
        mine = part == index
        _renumber(path, numbers[mine], suffixes[mine])


def _ids_distinct(con, lines: str) -> bool:
    """True when no two lines share a ``line_id``, shown by their 64-bit hashes: 8 bytes a line, sorted
    in place (``count(DISTINCT line_id)`` held every id in a hash table: 650 MB at 10M lines). Equal
    hashes, of equal ids or a rare collision, answer False and the exact numbering runs."""
    total = con.execute(f"SELECT count(*) FROM {lines}").fetchone()[0]
    hashes, done = np.empty(total, dtype=np.uint64), 0
    for batch in con.execute(f"SELECT hash(line_id) FROM {lines}").fetch_record_batch(1 << 20):
        part = batch.column(0).to_numpy()
        hashes[done : done + len(part)] = part
        done += len(part)
    hashes.sort()
    return done == total and not np.any(hashes[1:] == hashes[:-1])


def _renumber(path: Path, rows: np.ndarray, suffixes: np.ndarray) -> None:
    """Rewrite one staged file with ``line_id#k`` on the given rows (0-based in the file)."""
    if not len(rows):
        return
    reader = pq.ParquetFile(path)
    k = np.ones(reader.metadata.num_rows, dtype=np.int64)
    k[rows] = suffixes
    out = path.with_suffix(".tmp")
    done = 0
    with _lines_writer(out) as writer:
        for batch in reader.iter_batches(batch_size=65_536):
            mine = k[done : done + batch.num_rows]
            done += batch.num_rows
            ids = batch.column("line_id")
            numbered = pc.binary_join_element_wise(ids, pc.cast(pa.array(mine), pa.string()), "#")
            ids = pc.if_else(pa.array(mine > 1), numbered, ids)
            writer.write_batch(batch.set_column(batch.schema.get_field_index("line_id"), "line_id", ids))
    reader.close()
    out.replace(path)
