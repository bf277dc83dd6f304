"""Which line is which: a line is known by its source record and its content, never by file and row.

- ``fingerprint``: 16 hex digits (a 64-bit hash) of the line's content — every column a
  reader fills from the data (office, contract and record ids, description, classification, supplier,
  countries, quantity, value, currency, dates, procurement method) — so the same purchase read from any
  file, in any column order or format, has the same fingerprint, and any change to it gives another.
- ``line_id``: the source's own ``record_id`` (transaction, invoice or document number; the OCDS item
  path) when it has one, else ``fp:`` and the fingerprint. A repeat within one screening (an invoice of
  several lines, two identical purchases) gets ``#2``, ``#3`` ... in reading order.

So January's and February's ``export.csv`` give different lines (other records, other dates), the same
record in two exports is the same line, and whether its content changed is a comparison of fingerprints.
"""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FINGERPRINT_FIELDS = (
    "office", "contract_id", "record_id", "description", "classification_scheme", "classification_code",
    "supplier_name", "supplier_id", "supplier_country", "origin_country", "delivery_country", "quantity",
    "value", "currency", "date", "end_date", "procurement_method",
)  # fmt: skip
FINGERPRINT_PREFIX = "fp:"


_NULL = np.uint64(0x6E756C6C6E756C6C)  # any fixed value: a missing field hashes to it


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves about half of the output bits."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _text_hashes(values: pa.Array) -> np.ndarray:
    """BLAKE2b (8 bytes, read little-endian) of each value's UTF-8 bytes, hashed straight from Arrow's buffers."""
    values = values.cast(pa.large_string())  # 64-bit offsets, whatever the column's type
    if not len(values):
        return np.zeros(0, dtype=np.uint64)
    first = values.offset
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[first : first + len(values) + 1].tolist()
    data = memoryview(values.buffers()[2] or b"")
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(data[a:b], digest_size=8).digest() for a, b in itertools.pairwise(offsets)])
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def _column_hash(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A 64-bit hash per value: BLAKE2b of each *distinct* text (ledgers repeat themselves), the bits
    of a number or a date; a missing value hashes to ``_NULL``."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        encoded = pc.dictionary_encode(column)
        distinct = _text_hashes(encoded.dictionary)
        table = np.append(distinct, _NULL)
        indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
        return table[indices]
    if pa.types.is_floating(column.type):
        values = column.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False) + 0.0  # -0.0 is 0.0
        bits = _mix(values.view(np.uint64))
    else:  # dates (days since 1970) and integers
        if pa.types.is_date32(column.type):
            column = column.view(pa.int32())
        bits = _mix(column.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False).view(np.uint64))
    return np.where(column.is_null().to_numpy(zero_copy_only=False), _NULL, bits)


def fingerprints(lines: pa.Table) -> pa.Array:
    """The content fingerprint of every line (``LINE_SCHEMA`` columns), in order, as 16 hex digits.

    Vectorised: each field is hashed on its distinct values and the per-field hashes are chained with
    splitmix64, so a million lines take well under a second. Fields are chained in a fixed order with
    their position mixed in: ("a", null) and (null, "a") differ, and so do "" and a missing value.
    """
    n = lines.num_rows
    acc = np.full(n, np.uint64(0xF41C9A0C0FFEE000), dtype=np.uint64)
    for position, name in enumerate(FINGERPRINT_FIELDS):
        if name not in lines.column_names:
            field = np.full(n, _NULL, dtype=np.uint64)
        else:
            field = _column_hash(lines.column(name))
        with np.errstate(over="ignore"):
            acc = _mix(acc ^ _mix(field + np.uint64(position)))
    text = acc.astype(">u8").tobytes().hex().encode("ascii")  # 16 hex digits per line, big-endian
    offsets = pa.py_buffer(np.arange(0, 16 * n + 1, 16, dtype=np.int32).tobytes())
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, pa.py_buffer(text)])


def identify(lines: pa.Table) -> pa.Table:
    """Fill ``fingerprint``, and ``line_id`` where the reader left it empty (record id, else fingerprint)."""
    fingerprint = fingerprints(lines)
    by_content = pc.binary_join_element_wise(pa.scalar(FINGERPRINT_PREFIX), fingerprint, "")
    line_id = pc.coalesce(lines["line_id"], lines["record_id"], by_content).cast(pa.string())
    lines = lines.set_column(lines.schema.get_field_index("fingerprint"), "fingerprint", fingerprint)
    return lines.set_column(lines.schema.get_field_index("line_id"), "line_id", line_id)


def uniquify(ids: list[str]) -> list[str] | None:
    """Repeated ids get "#2", "#3" ... in order; None when all are unique already."""
    if len(set(ids)) == len(ids):
        return None
    seen: dict[str, int] = {}
    unique = []
    for line_id in ids:
        count = seen.get(line_id, 0) + 1
        seen[line_id] = count
        unique.append(line_id if count == 1 else f"{line_id}#{count}")
    return unique
