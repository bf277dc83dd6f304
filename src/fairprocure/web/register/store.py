"""Writing a screening's register table into the database: its own version of every line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

import pyarrow as pa
from django.dispatch import Signal

from fairprocure.schema import REGISTER_COLUMNS
from fairprocure.web.register.models import Line

BATCH = 5000
# Sent with ``office`` and ``screening`` once a screening's lines are in the register (contracts roll up on
# it): by fairprocure.web.register.current.bring_in, once per screening.
lines_stored = Signal()
_TEXT_LIMITS = {
    f.name: f.max_length for f in Line._meta.fields if f.get_internal_type() in ("CharField", "TextField")
}


def _clean(name: str, value):
    if value is None:
        return "" if name in _TEXT_LIMITS else None
    limit = _TEXT_LIMITS.get(name)
    return value[:limit] if limit and isinstance(value, str) else value


def _line(row: dict, office, screening) -> Line:
    fields = {
        ("office_name" if k == "office" else k): _clean("office_name" if k == "office" else k, v)
        for k, v in row.items()
        if k in REGISTER_COLUMNS
    }
    fields["risk_score"] = fields.get("risk_score") or 0.0
    fields["priority"] = fields.get("priority") or 0.0
    fields["factors"] = fields.get("factors") or "[]"
    fields["source_file"] = PurePath(fields.get("source_file") or "").name  # never show server paths
    return Line(office=office, screening=screening, **fields)


def store_register(
    table: pa.Table | pa.RecordBatch, office, screening, progress: Callable[[float], None] | None = None
) -> int:
    """Write ``screening``'s version of every line of ``table`` (the whole register or one batch of it).

    The rows are written with ``current=False``: nothing shows until
    :func:`fairprocure.web.register.current.bring_in` switches the screening's lines into the register
    (once, after the last batch). A row already written by an interrupted run of the same screening is
    left as it is, so running the store again is harmless. The screening job calls it once per batch,
    and ``bring_in`` once, all in one transaction. Returns rows written.
    """
    missing = set(REGISTER_COLUMNS) - set(table.schema.names)
    if missing:
        raise ValueError(
            f"register table lacks columns {sorted(missing)}; expected fairprocure.schema.REGISTER_COLUMNS"
        )
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    written = 0
    for batch in table.select(REGISTER_COLUMNS).to_batches(BATCH):
        lines = [_line(row, office, screening) for row in batch.to_pylist()]
        Line.objects.bulk_create(lines, ignore_conflicts=True)
        written += len(lines)
        if progress:
            progress(written / max(table.num_rows, 1))
    return written
