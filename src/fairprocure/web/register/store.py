"""Writing a screening's register table into the database: insert or update by (office, line id)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

import pyarrow as pa
from django.dispatch import Signal

from fairprocure.schema import REGISTER_COLUMNS
from fairprocure.web.register.models import Line

BATCH = 5000
# Sent with ``office`` and ``screening`` once a screening's lines are stored (contracts roll up on it).
lines_stored = Signal()
_TEXT_LIMITS = {
    f.name: f.max_length for f in Line._meta.fields if f.get_internal_type() in ("CharField", "TextField")
}
_UPDATED = [c if c != "office" else "office_name" for c in REGISTER_COLUMNS if c != "line_id"] + ["screening"]


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
    table: pa.Table, office, screening, progress: Callable[[float], None] | None = None
) -> int:
    """Upsert every row of ``table``; a line's risk decision survives a re-screening. Returns rows written."""
    missing = set(REGISTER_COLUMNS) - set(table.column_names)
    if missing:
        raise ValueError(
            f"register table lacks columns {sorted(missing)}; expected fairprocure.schema.REGISTER_COLUMNS"
        )
    written = 0
    for batch in table.select(REGISTER_COLUMNS).to_batches(BATCH):
        lines = [_line(row, office, screening) for row in batch.to_pylist()]
        Line.objects.bulk_create(
            lines, update_conflicts=True, unique_fields=["office", "line_id"], update_fields=_UPDATED
        )
        written += len(lines)
        if progress:
            progress(written / max(table.num_rows, 1))
    lines_stored.send(sender=Line, office=office, screening=screening)
    return written
