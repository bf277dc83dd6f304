"""Register exports: CSV streamed row by row, XLSX written in constant memory; large ones in the background.

Every cell goes through :mod:`fairprocure.spreadsheet`: text that starts like a formula never opens as one.
A selection of more than :data:`INLINE_MAX` lines (or one that cannot be counted without a scan) is
offered as an :class:`~fairprocure.web.register.models.Export`: written to a file in the workspace's home by
the job runner of ``fairprocure serve`` (:func:`run_pending`), then downloaded from its page for a day
(:func:`expire`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone

from fairprocure.schema import REGISTER_COLUMNS
from fairprocure.spreadsheet import XlsxCells, safe_row, workbook_options
from fairprocure.web.register.ranking import Ranker

COLUMNS = [*REGISTER_COLUMNS, "office_code", "decided_level"]
XLSX_MAX_ROWS = 1_048_575
INLINE_MAX = 10_000  # larger selections are written in the background (an Export)
KEPT = dt.timedelta(days=1)  # an export's file and page are deleted this long after it ended
log = logging.getLogger(__name__)


def _row(line, ranker=None) -> list:
    values = {c: getattr(line, c, "") for c in REGISTER_COLUMNS}
    if ranker is not None:  # the place in the organisation's order now (register/ranking.py)
        values["priority_rank"] = ranker.rank(line)
    values["office"] = line.office_name
    values["office_code"] = line.office.code
    values["decided_level"] = line.decided_level
    return [values[c] if values[c] is not None else "" for c in COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(lines) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    ranker = Ranker()

    def rows() -> Iterator[str]:
        yield writer.writerow(COLUMNS)
        for line in lines.select_related("office").iterator(chunk_size=2000):
            yield writer.writerow(safe_row(_row(line, ranker)))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register.csv"'
    return response


def xlsx_response(lines) -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it after sending)
    book = xlsxwriter.Workbook(out, workbook_options(constant_memory=True, default_date_format="yyyy-mm-dd"))
    cells = XlsxCells(book)
    sheet = book.add_worksheet("register")
    cells.write_row(sheet, 0, 0, COLUMNS)
    ranker = Ranker()
    for i, line in enumerate(lines.select_related("office")[:XLSX_MAX_ROWS].iterator(chunk_size=2000), 1):
        cells.write_row(sheet, i, 0, _row(line, ranker))
    book.close()
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename="register.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def write_csv(lines, out) -> int:
    """Write ``lines`` as CSV to the binary file ``out``; returns the number of lines."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    ranker, n = Ranker(), 0
    for line in lines.select_related("office").iterator(chunk_size=2000):
        writer.writerow(safe_row(_row(line, ranker)))
        n += 1
    text.flush()
    text.detach()
    return n


def write_xlsx(lines, out) -> int:
    """Write ``lines`` (at most a sheet's rows) as XLSX to the binary file ``out``; returns the number."""
    book = xlsxwriter.Workbook(out, workbook_options(constant_memory=True, default_date_format="yyyy-mm-dd"))
    cells = XlsxCells(book)
    sheet = book.add_worksheet("register")
    cells.write_row(sheet, 0, 0, COLUMNS)
    ranker, n = Ranker(), 0
    for n, line in enumerate(lines.select_related("office")[:XLSX_MAX_ROWS].iterator(chunk_size=2000), 1):
        cells.write_row(sheet, n, 0, _row(line, ranker))
    book.close()
    return n


def folder() -> Path:
    path = Path(settings.HOME) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(export) -> Path:
    return folder() / export.file_name


def run(export) -> None:
    """Write ``export``'s file if it is still queued (one runner claims it): the lines its requester may
    see under its query, as the register page and the inline export select them."""
    from fairprocure.web.accounts.permissions import office_in_scope
    from fairprocure.web.register.filters import filter_lines
    from fairprocure.web.register.models import Export
    from fairprocure.web.register.views import FILTERS, in_register

    if not Export.objects.filter(pk=export.pk, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING
    ):
        return
    target = path_of(export)
    partial = target.with_suffix(target.suffix + ".part")
    try:
        params = QueryDict(export.query)
        user = export.requested_by
        office = office_in_scope(user, params.get("office"))
        chosen = {k: params.get(k, "").strip() for k in FILTERS}
        lines = filter_lines(in_register(user, office), **{k: v for k, v in chosen.items() if v})
        with partial.open("wb") as out:
            rows = write_xlsx(lines, out) if export.fmt == "xlsx" else write_csv(lines, out)
        os.replace(partial, target)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.DONE, rows=rows, size=target.stat().st_size, finished=timezone.now()
        )
    except Exception as exc:  # the person sees why on the export's page
        log.exception("export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, message=str(exc)[:500], finished=timezone.now()
        )


def expire(kept=KEPT) -> int:
    """Delete the exports (file and record) that ended longer than ``kept`` ago; returns how many."""
    from fairprocure.web.register.models import Export

    old = Export.objects.filter(finished__lt=timezone.now() - kept)
    for export in old:
        path_of(export).unlink(missing_ok=True)
    return old.delete()[0]


def run_pending() -> int:
    """Run every queued export, oldest first; returns how many ran."""
    from fairprocure.web.register.models import Export

    ran = 0
    for export in (
        Export.objects.filter(status=Export.Status.QUEUED).select_related("requested_by").order_by("pk")
    ):
        run(export)
        ran += 1
    return ran
