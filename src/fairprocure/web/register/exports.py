"""Register exports: CSV streamed row by row, XLSX written in constant memory.

Every cell goes through :mod:`fairprocure.spreadsheet`: text that starts like a formula never opens as one.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

from fairprocure.schema import REGISTER_COLUMNS
from fairprocure.spreadsheet import XlsxCells, safe_row, workbook_options
from fairprocure.web.register.ranking import Ranker

COLUMNS = [*REGISTER_COLUMNS, "office_code", "decided_level"]
XLSX_MAX_ROWS = 1_048_575


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
