"""Writing a screening's register table into the database: its own version of every line."""

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
    """Store ``screening``'s version of every line of ``table``, then bring its lines into the register.

    The lines are written with ``current=False``, so a screening stopped half-way shows nothing; the
    switch (:func:`fairprocure.web.register.current.activate`) is one transaction. Run again for the
    same screening, it first removes what an interrupted run left. Returns rows written.
    """
    from fairprocure.web.register.current import activate

    missing = set(REGISTER_COLUMNS) - set(table.column_names)
    if missing:
        raise ValueError(
            f"register table lacks columns {sorted(missing)}; expected fairprocure.schema.REGISTER_COLUMNS"
        )
    if screening.stored:  # the job ran to here before: its lines are in; make sure they are in force
        activate(screening)
        lines_stored.send(sender=Line, office=office, screening=screening)
        return Line.objects.filter(screening=screening).count()
    # What an interrupted run left: never current, never decided on, nothing points to it.
    Line.objects.filter(screening=screening)._raw_delete(Line.objects.db)
    _set_period(screening, table)
    written = 0
    for batch in table.select(REGISTER_COLUMNS).to_batches(BATCH):
        lines = [_line(row, office, screening) for row in batch.to_pylist()]
        Line.objects.bulk_create(lines)
        written += len(lines)
        if progress:
            progress(written / max(table.num_rows, 1))
    activate(screening)
    lines_stored.send(sender=Line, office=office, screening=screening)
    return written


def _set_period(screening, table: pa.Table) -> None:
    """The period the file covers, from its lines' dates, unless the uploader set it."""
    from fairprocure.web.screenings.models import Screening
    from fairprocure.web.screenings.periods import period_from_dates

    if screening.period_set_by:
        return
    found = period_from_dates(table.column("date")) if "date" in table.column_names else None
    start, end = found or (None, None)
    Screening.objects.filter(pk=screening.pk).update(period_start=start, period_end=end)
    screening.period_start, screening.period_end = start, end
