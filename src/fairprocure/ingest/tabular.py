"""Read a CSV or XLSX ledger into a table of strings, finding its header row.

CSV: encoding detected (UTF-8 with or without BOM first, then charset-normalizer on a sample; the
mapping may name it), delimiter detected among ``, ; tab |``; parsed by ``pyarrow.csv`` with every
column as text. XLSX/XLS/ODS: read by ``python-calamine``. In both, the header row is the row among
the first 30 whose cells best match known headers; in a spreadsheet, a header spread over two rows
(a merged group cell such as "Supplier" above "Name" / "Country") is combined into one header per column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from fairprocure.ingest.headers import header_score, match_header
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError

NULL_TOKENS = ["", "None", "NULL", "null", "N/A", "n/a", "#N/A", "nan", "NaN"]
DELIMITERS = ",;\t|"
SCAN_ROWS = 30
# Code pages ERP exports are written in, most common first (Windows code pages before ISO and KOI8).
COMMON_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_2",
    "koi8_r",
    "koi8_u",
)


@dataclass
class RawTable:
    """Text columns of a ledger and where its rows are in the file."""

    table: pa.Table  # every column string, named by its header
    first_row: int  # spreadsheet row number (1-based) of the first data row
    notes: list[str] = field(default_factory=list)  # problems that did not stop the read


def _unique_headers(cells: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(cells):
        name = str(cell).strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _best_header_row(rows: list[list[object]]) -> int:
    scores = [header_score(r) for r in rows[:SCAN_ROWS]]
    if not scores or max(scores) == 0:
        return 0
    return scores.index(max(scores))


def decode(data: bytes, path: str, encoding: str | None) -> tuple[str, list[str]]:
    """Text of a CSV file, and notes if bytes had to be replaced."""
    if encoding:
        try:
            return data.decode(encoding), []
        except (UnicodeDecodeError, LookupError) as error:
            raise IngestError(
                f"{path}: cannot decode as {encoding} (from the mapping file): {error}"
            ) from error
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data[:200_000])
    best = results.best()
    guess = best.encoding if best is not None else "cp1252"
    # charset-normalizer may prefer a rare code page (mac_cyrillic) that garbles a few letters of the
    # common ERP one (cp1251); among near-equally clean candidates, take the common one.
    for match in results:
        if match.encoding in COMMON_ENCODINGS and best is not None and match.chaos <= best.chaos + 0.1:
            guess = match.encoding
            break
    try:
        return data.decode(guess), []
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        note = (
            f"undecodable bytes (first at byte {error.start}) replaced with U+FFFD; "
            f"set encoding in a mapping file if the text looks wrong"
        )
        return text, [note]


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        lines = sample.splitlines()[:20] or [""]
        return max(DELIMITERS, key=lambda d: min(line.count(d) for line in lines) if lines else 0)


def read_csv(path: Path, mapping: Mapping) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path}: the file is empty")
    text, notes = decode(data, str(path), mapping.encoding)
    sample = "\n".join(text[:100_000].splitlines()[:SCAN_ROWS])
    delimiter = mapping.delimiter or sniff_delimiter(sample)
    head = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    header_index = mapping.header_row - 1 if mapping.header_row else _best_header_row(head)
    headers = _unique_headers(head[header_index] if header_index < len(head) else [])
    encoded = text.encode("utf-8") if notes or text is not data else data
    if encoded.startswith(b"\xef\xbb\xbf"):
        encoded = encoded[3:]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(encoded),
            read_options=pacsv.ReadOptions(
                skip_rows=header_index + 1, column_names=headers, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(headers, pa.string()),
                null_values=NULL_TOKENS,
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        raise IngestError(f"{path}: cannot parse as CSV (delimiter {delimiter!r}): {error}") from error
    return RawTable(table, first_row=header_index + 2, notes=notes)


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip() or None


def _combined_headers(rows: list[list[object]], index: int, merged: list) -> list[str]:
    """Header of each column: the header row, prefixed by a merged group cell above where that helps."""
    bottom = [_cell_text(c) or "" for c in rows[index]]
    if index == 0:
        return bottom
    top = [_cell_text(c) or "" for c in rows[index - 1]]
    top += [""] * (len(bottom) - len(top))
    for (r0, c0), (r1, c1) in merged:  # spread a merged group cell over the columns it spans
        if r0 <= index - 1 <= r1:
            for col in range(c0, min(c1, len(top) - 1) + 1):
                top[col] = top[c0]
    combined = []
    for t, b in zip(top, bottom, strict=False):
        joined = f"{t} {b}".strip()
        best = max(
            (t, b, joined), key=lambda h: (match_header(h).score if h and match_header(h) else 0, h == b)
        )
        combined.append(best if best else joined)
    return combined


def read_xlsx(path: Path, mapping: Mapping) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_ref = mapping.sheet if mapping.sheet is not None else 0
        if isinstance(sheet_ref, int) or str(sheet_ref).isdigit():
            sheet = workbook.get_sheet_by_index(int(sheet_ref))
        else:
            sheet = workbook.get_sheet_by_name(str(sheet_ref))
        rows = sheet.to_python(skip_empty_area=False)
        merged = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except Exception as error:  # calamine raises its own error types
        raise IngestError(f"{path}: cannot read as a spreadsheet: {error}") from error
    if not any(any(_cell_text(c) for c in row) for row in rows):
        raise IngestError(f"{path}: the sheet is empty")
    header_index = mapping.header_row - 1 if mapping.header_row else _best_header_row(rows)
    headers = _unique_headers(_combined_headers(rows, header_index, merged))
    width = len(headers)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in rows[header_index + 1 :]:
        cells = list(row) + [None] * (width - len(row))
        for i in range(width):
            columns[i].append(_cell_text(cells[i]))
    table = pa.table({h: pa.array(col, pa.string()) for h, col in zip(headers, columns, strict=True)})
    return RawTable(table, first_row=header_index + 2)


def read_tabular(path: Path, kind: str, mapping: Mapping) -> RawTable:
    return read_xlsx(path, mapping) if kind == "xlsx" else read_csv(path, mapping)
