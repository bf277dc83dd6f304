"""Spend data as JSON that is not OCDS: an array of records, read as a ledger's table.

Portals and APIs publish spend as JSON: a top-level array of objects, an object holding one
(``{"metadata": {...}, "data": [...]}``, ``{"result": {"records": [...]}}``), or JSON Lines of flat
objects. The array with the most objects (searched a few levels deep) is the table: each object is a
row, each key a column. Nested objects become ``parent.child`` columns; a list of values is joined
with "; ", a list of objects gives one column per key with their values joined the same way. The
scalars outside the array (a title, ``"currency": "GBP"``) are the table's title: a currency they name
is the table's, as for title rows above a spreadsheet's header.

Anything with an ``ocid`` is OCDS and goes to :mod:`fairprocure.ingest.ocds`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError
from fairprocure.ingest.tabular import _NULLS, Layout, RawTable, _cell_text, _title_currency

OCDS_KEYS = frozenset({"ocid", "compiledRelease", "initiationType"})
_OCDS_HEAD = re.compile(rb'"(?:ocid|compiledRelease|initiationType)"\s*:')
MAX_DEPTH = 4  # how deep the array of records is looked for, and nested objects flattened
MAX_COLUMNS = 400
HEAD_BYTES = 1 << 16


def _is_ocds(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    if obj.keys() & OCDS_KEYS:
        return True
    releases = obj.get("releases")
    return isinstance(releases, list) and not obj.get("records") and "data" not in obj


def _records_in(obj: object, path: str = "", depth: int = 0) -> tuple[str, list] | None:
    """(where, array) of the longest array of objects within ``obj``."""
    if isinstance(obj, list):
        if obj and sum(isinstance(item, dict) for item in obj) >= 0.9 * len(obj):
            return path or "[]", obj
        return None
    if not isinstance(obj, dict) or depth >= MAX_DEPTH:
        return None
    best = None
    for key, value in obj.items():
        found = _records_in(value, f"{path}.{key}" if path else str(key), depth + 1)
        if found and (best is None or len(found[1]) > len(best[1])):
            best = found
    return best


def _scalars(obj: object, skip: object, path: str = "", depth: int = 0) -> list[list[str]]:
    """[key, value] of every scalar outside the records (the table's title and metadata)."""
    if obj is skip or depth > MAX_DEPTH:
        return []
    if isinstance(obj, dict):
        return [
            row
            for key, value in obj.items()
            for row in _scalars(value, skip, f"{path}.{key}" if path else str(key), depth + 1)
        ]
    if isinstance(obj, list):
        return [] if any(isinstance(i, dict | list) for i in obj) else [[path, "; ".join(map(str, obj))]]
    text = _cell_text(obj)
    return [[path, text]] if text else []


def find_records(objects: list[tuple[str, object]]) -> tuple[str, list[dict], list[list[str]]] | None:
    """(where, records, title cells) if the parsed JSON values hold a table that is not OCDS, else None."""
    if not objects:
        return None
    if len(objects) > 1 or objects[0][0] != "document":  # JSON Lines: each line one record
        values = [obj for _, obj in objects]
        if any(_is_ocds(v) for v in values[:50]) or not all(isinstance(v, dict) for v in values):
            return None
        return "lines", values, []
    document = objects[0][1]
    if _is_ocds(document) or (isinstance(document, list) and any(_is_ocds(v) for v in document[:50])):
        return None
    found = _records_in(document)
    if found is None:
        return None
    where, records = found
    if any(_is_ocds(r) for r in records[:50]):
        return None
    return where, records, _scalars(document, records)


def _flatten(obj: dict, prefix: str = "", depth: int = 0, out: dict | None = None) -> dict[str, str | None]:
    out = {} if out is None else out
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and depth < MAX_DEPTH:
            _flatten(value, name, depth + 1, out)
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) for v in value) and depth < MAX_DEPTH:
                parts: dict[str, list[str]] = {}
                for item in value:
                    for k, v in _flatten(item, name, depth + 1).items():
                        if v is not None:
                            parts.setdefault(k, []).append(v)
                for k, vs in parts.items():
                    out[k] = "; ".join(dict.fromkeys(vs))
            else:
                texts = [t for t in (_cell_text(v) for v in value if not isinstance(v, dict | list)) if t]
                out[name] = "; ".join(texts) or None
        else:
            text = _cell_text(value)
            out[name] = None if text in _NULLS else text
    return out


def json_tables(path: Path, mapping: Mapping | None = None) -> list[tuple[Layout, RawTable]]:
    """The table of a JSON file of records (one (layout, rows), as :func:`xlsx_tables` gives)."""
    from fairprocure.ingest.ocds import _load

    objects, bad = _load(path)
    found = find_records(objects)
    if found is None:
        raise IngestError(f"{path}: no array of records found in the JSON")
    where, records, title = found
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    unreadable = [(int(place.split()[-1]), why) for place, why in bad if place.startswith("line ")]
    lines = [int(place.split()[-1]) for place, _ in objects] if where == "lines" else None
    for i, record in enumerate(records):
        number = lines[i] if lines else i + 1
        if isinstance(record, dict):
            rows.append(_flatten(record))
            numbers.append(number)
        else:
            unreadable.append((number, "not a JSON object"))
    headers = list(dict.fromkeys(k for row in rows for k in row))[:MAX_COLUMNS]
    table = pa.table({h: pa.array([row.get(h) for row in rows], pa.string()) for h in headers})
    notes = []
    if where != "lines":
        notes.append(f"records read from the array at {where!r}")
    layout = Layout(
        "json", headers, 1, first_data_row=1, notes=notes, title_currency=_currency(title), records_at=where
    )
    raw = RawTable(table, np.array(numbers, dtype=np.int64), bad=sorted(unreadable))
    return [(layout, raw)]


_CURRENCY_KEY = re.compile(
    r"(?:^|[._\s])(?:currency|devise|moneda|valuta|w[äa]hrung|waluta|měna|валюта)$", re.I
)


def _currency(title: list[list[str]]) -> str | None:
    """The one currency the metadata name: a ``currency`` key holding a code, else a sign or code in the text."""
    from fairprocure.reference.currency import is_currency

    codes = {
        value.strip().upper()
        for key, value in title
        if _CURRENCY_KEY.search(key) and is_currency(value.strip().upper())
    }
    if len(codes) == 1:
        return codes.pop()
    return _title_currency(title)


@lru_cache(maxsize=256)
def _kind(path: str, size: int, mtime: int) -> str:
    from fairprocure.ingest.ocds import _load

    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if _OCDS_HEAD.search(head):
        return "ocds"
    try:
        objects, _ = _load(Path(path))
    except IngestError:
        return "ocds"  # empty or broken: the OCDS reader says why
    return "json" if find_records(objects) else "ocds"


def json_kind(path: Path) -> str:
    """ "ocds" or "json" (a table of records) for a file that holds JSON."""
    stat = path.stat()
    return _kind(str(path), stat.st_size, stat.st_mtime_ns)
