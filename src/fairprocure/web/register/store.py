"""Writing a screening's register table into the database: its own version of every line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

import pyarrow as pa
from django.db import connections, router
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


_FIELDS = [f for f in Line._meta.concrete_fields if not f.primary_key]
# Where each of the model's columns comes from: the register column of the same name (``office_name``:
# the register's ``office``), else the field's default (``current`` False, no rank, no decision yet).
_SOURCE = {"office_name": "office", **{c: c for c in REGISTER_COLUMNS if c != "office"}}


def _insert_sql(connection) -> str:
    """``INSERT`` of one line, every column, ignoring a line the screening already has (a rerun)."""
    from django.db.models.constants import OnConflict

    ops = connection.ops
    columns = ", ".join(ops.quote_name(f.column) for f in _FIELDS)
    values = ", ".join(["%s"] * len(_FIELDS))
    return (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {ops.quote_name(Line._meta.db_table)} "
        f"({columns}) VALUES ({values}) {ops.on_conflict_suffix_sql(_FIELDS, OnConflict.IGNORE, None, None)}"
    ).strip()


def _column(batch: pa.RecordBatch, field, office, screening, connection) -> list:
    """One model column's values for every row of ``batch``, ready for the database."""
    n = batch.num_rows
    if field.name == "office":
        return [office.pk] * n
    if field.name == "screening":
        return [screening.pk] * n
    source = _SOURCE.get(field.name)
    if source is None:
        return [field.get_default()] * n
    values = batch.column(source).to_pylist()
    if field.name in ("risk_score", "priority"):
        return [v or 0.0 for v in values]
    if field.name == "factors":
        return [v or "[]" for v in values]
    if field.name == "source_file":
        return [PurePath(v or "").name for v in values]  # never show server paths
    if field.name == "date":
        return [connection.ops.adapt_datefield_value(v) for v in values]
    if field.name in _TEXT_LIMITS:
        return [_clean(field.name, v) for v in values]
    return values


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
    connection = connections[router.db_for_write(Line)]
    sql = _insert_sql(connection)
    written = 0
    # Column by column from Arrow into plain tuples, one executemany per batch: the ORM's per-object
    # bulk_create cost about 0.5 ms a line (most of a large upload's store time).
    for batch in table.select(REGISTER_COLUMNS).to_batches(BATCH):
        columns = [_column(batch, f, office, screening, connection) for f in _FIELDS]
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(zip(*columns, strict=True)))
        written += batch.num_rows
        if progress:
            progress(written / max(table.num_rows, 1))
    return written
