"""Read a CSV or XLSX ledger into blocks of text columns, finding where its table is.

CSV: the encoding is detected (a BOM, else UTF-8, else charset-normalizer preferring the code pages ERP
exports use; a mapping may name it), the delimiter among ``, ; tab |`` by which gives the most rows of
one width. Blocks are parsed by ``pyarrow.csv`` with every column as text (nothing is inferred, so a
drifted value is one data issue, never a failed read). If a row has the wrong number of fields, the file
is read again with Python's ``csv`` module, which knows row numbers: such rows are handed on as
*malformed*, for :mod:`fairprocure.ingest.repair` to repair or quarantine; every other row keeps its number.

XLSX/XLS/ODS: read by ``python-calamine``, every visible sheet that holds a ledger; cells merged down a
column are filled into every row they cover.

In both, the header row is found among the first ``SCAN_ROWS`` rows (:func:`find_header`): title and
parameter rows above it are skipped, a header over two rows is combined, and a file with no header at
all gets columns named ``column 1``, ``column 2`` ...
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from fairprocure.ingest.headers import header_evidence, header_score
from fairprocure.ingest.mapping import Mapping
from fairprocure.ingest.model import IngestError
from fairprocure.ingest.parsers import parse_amount, parse_date

NULL_TOKENS = ["", "None", "NULL", "null", "N/A", "n/a", "#N/A", "nan", "NaN"]
_NULLS = frozenset(NULL_TOKENS)
DELIMITERS = ",;\t|"
SCAN_ROWS = 60
HEAD_BYTES = 1 << 20
PYTHON_CSV_ROWS = 100_000
BLOCK_BYTES = 8 << 20  # Arrow reads ahead several blocks: 8 MB keeps the reader near 0.5 GB
HEADERLESS = "column {}"
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
_HAS_ALNUM = re.compile(r"[^\W_]")


@dataclass
class Layout:
    """Where a ledger's table is and how it is written; said by ``fairprocure inspect`` and quality.json."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    header_row: int | None  # 1-based row of the (lower) header row; None: the file has no header
    header_rows: int = 1  # 2 when a header spread over two rows was combined
    first_data_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    skip_lines: int = 0  # physical lines before the data (CSV)
    notes: list[str] = field(default_factory=list)
    sample: list[list[str]] | None = None  # CSV: rows of the first megabyte, to recognise columns on
    title_currency: str | None = (
        None  # a currency the title rows above the header name ("Payments over £500")
    )
    records_at: str | None = None  # JSON: where the array of records is ("data", "lines")

    def as_dict(self) -> dict:
        out = {
            "header_row": self.header_row,
            "header_rows": self.header_rows,
            "first_data_row": self.first_data_row,
        }
        if self.kind == "csv":
            out |= {"encoding": self.encoding, "delimiter": self.delimiter}
        elif self.kind == "json":
            out["records_at"] = self.records_at
        else:
            out["sheet"] = self.sheet
        return out


@dataclass
class RawTable:
    """A block of a ledger's rows as text columns, with the row number of each."""

    table: pa.Table  # every column string, named by its header
    rows: np.ndarray  # spreadsheet row number (1-based) of each row
    malformed: list[tuple[int, list[str]]] = field(default_factory=list)  # rows of the wrong width
    notes: list[str] = field(default_factory=list)  # problems that did not stop the read
    sheet: str | None = None
    bad: list[tuple[int, str]] = field(default_factory=list)  # records that cannot be read, and why

    @property
    def first_row(self) -> int:
        return int(self.rows[0]) if len(self.rows) else 0


def _clean(cell: object) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _unique_headers(cells: list[str], width: int) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    cells = list(cells) + [""] * (width - len(cells))
    for i, cell in enumerate(cells[:width]):
        name = _clean(cell) or HEADERLESS.format(i + 1)
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


# ---- the header row --------------------------------------------------------------------------------


def _kind(cell: str) -> str:
    """ "empty", "number", "date", "label" (short text) or "text"."""
    if not cell or not _HAS_ALNUM.search(cell):
        return "empty"
    if parse_date(cell, serials=False) is not None:
        return "date"
    if parse_amount(cell)[0] is not None:
        return "number"
    return "label" if len(cell) <= 80 else "text"


@dataclass
class HeaderInfo:
    index: int | None  # 0-based index of the (lower) header row in the grid; None: no header
    rows: int  # 1 or 2
    headers: list[str]
    width: int


def find_header(grid: list[list[str]], merged: list | None = None) -> HeaderInfo:
    """Find the header row among the first rows of a table (see the module docstring)."""
    rows = [[_clean(c) for c in row] for row in grid[:SCAN_ROWS]]
    kinds = [[_kind(c) for c in row] for row in rows]
    filled = [sum(k != "empty" for k in row) for row in kinds]
    width = max(
        (max((j + 1 for j, k in enumerate(row) if k != "empty"), default=0) for row in kinds), default=0
    )
    if width == 0:
        return HeaderInfo(None, 1, [], 0)
    best, best_score = None, 0.0
    for i, row in enumerate(rows):
        ne = filled[i]
        if ne == 0 or (ne < 2 and width > 1):
            continue
        kind = kinds[i]
        data_like = sum(k in ("number", "date") for k in kind)
        if data_like > 0.2 * ne:
            continue
        below = [j for j in range(i + 1, len(rows)) if filled[j]][:8]
        typed_below = {
            col
            for col in range(width)
            if below
            and sum(col < len(kinds[j]) and kinds[j][col] in ("number", "date") for j in below)
            >= 0.5 * len(below)
        }
        data_above = sum(
            len(typed_below & {c for c, k in enumerate(kinds[j]) if k in ("number", "date")})
            >= max(1, len(typed_below) // 2)
            for j in range(i)
            if filled[j]
        )
        if typed_below and data_above >= 2:
            continue  # a row of text inside the data, not the header above it
        flips = 0
        for col in range(len(kind)):
            if kind[col] != "label" or not below:
                continue
            typed = sum(col < len(kinds[j]) and kinds[j][col] in ("number", "date") for j in below)
            flips += typed >= max(1, 0.5 * len(below))
        consistent = sum(filled[j] >= 0.5 * ne for j in below) / len(below) if below else 0.0
        distinct = len({c.casefold() for c in row if c}) / ne
        # Column names do not recur below them; data values do ("Housing", "Revenue", a supplier's name).
        recurs = sum(
            1
            for col, c in enumerate(row)
            if c and any(col < len(rows[j]) and rows[j][col] == c for j in below)
        )
        score = (
            header_score(row) + 0.8 * flips + (ne / width) * consistent + 0.3 * distinct - 0.6 * recurs / ne
        )
        if score > best_score + 1e-9:
            best, best_score = i, score
    first = next(i for i, n in enumerate(filled) if n)
    if best is None or _headerless(rows, kinds, filled, best, first):
        return HeaderInfo(None, 1, [HEADERLESS.format(j + 1) for j in range(width)], width)
    headers, n = _combine(rows, best, width, merged)
    while headers and not headers[-1]:  # a row wider than the header is malformed, not a new column
        headers.pop()
    return HeaderInfo(best, n, headers, width)


def header_of(grid: list[list[str]], merged: list | None, header_row: int | None) -> HeaderInfo:
    """The header the mapping names (``header_row``: 1-based, 0 for none), else the one found."""
    if header_row is None:
        return find_header(grid[:SCAN_ROWS], merged)
    rows = [[_clean(c) for c in row] for row in grid[: max(header_row, 1) + SCAN_ROWS]]
    width = max((len(r) for r in rows), default=0)
    if header_row == 0:
        return HeaderInfo(None, 1, [HEADERLESS.format(j + 1) for j in range(width)], width)
    headers, n = _combine(rows, header_row - 1, width, merged)
    while headers and not headers[-1]:
        headers.pop()
    return HeaderInfo(header_row - 1, n, headers, width)


def _headerless(rows, kinds, filled, best, first) -> bool:
    """No header: the best candidate names nothing known, and the first rows are data of one shape."""
    if header_score(rows[best]) > 0 or (
        best != first and any(k in ("number", "date") for j in range(first, best) for k in kinds[j])
    ):
        return False
    data_first = any(k in ("number", "date") for k in kinds[first])
    return data_first


def _combine(rows: list[list[str]], index: int, width: int, merged: list | None) -> tuple[list[str], int]:
    """Header of each column: the header row, with a group cell above it ("Supplier" over "Name") where
    that makes a better header; returns (headers, number of header rows used)."""
    bottom = rows[index] + [""] * (width - len(rows[index]))
    if index == 0:
        return bottom[:width], 1
    top = rows[index - 1] + [""] * (width - len(rows[index - 1]))
    top = top[:width]
    kinds = [_kind(c) for c in top]
    if any(k in ("number", "date") for k in kinds) or not any(top):
        return bottom[:width], 1
    groups = sum(bool(c) for c in top) >= 2  # several group cells, not one title over everything
    spans = [1] * width  # how many columns the group cell above each column covers
    if merged:
        for (r0, c0), (r1, c1) in merged:  # spread a merged group cell over the columns it spans
            if r0 <= index - 1 <= r1:
                for col in range(c0, min(c1, width - 1) + 1):
                    top[col] = top[c0]
                    spans[col] = min(c1, width - 1) - c0 + 1
    elif groups:  # CSV: a group cell covers the empty cells to its right
        current, start = "", 0
        for col in range(width):
            if top[col]:
                current, start = top[col], col
            elif bottom[col] and current:
                top[col] = current
                for c in range(start, col + 1):
                    spans[c] = col - start + 1
    else:
        return bottom[:width], 1

    def strength(h: str) -> float:
        return max(header_evidence(h).values(), default=0.0) if h else 0.0

    combined, used = [], False
    for t, b, span in zip(top, bottom[:width], spans, strict=True):
        joined = f"{t} {b}".strip()
        if t and b and span >= 2 and groups and strength(joined) >= 0.5:
            choice = joined  # "Контрагент" over "Наименование": the counterparty's name, not a description
        else:
            choice = max((b, joined, t), key=lambda h: (strength(h) + (0.001 if h == b else 0), bool(h)))
        used = used or (choice != b)
        combined.append(choice or joined)
    return combined, 2 if used else 1


_TITLE_CODE = re.compile(r"\((?:in\s+)?([A-Z]{3})\)|\bin\s+([A-Z]{3})\b|\d\s?([A-Z]{3})\b")


def _title_currency(rows: list[list[str]]) -> str | None:
    """The one currency the title rows name, by sign ("over £500") or code ("(EUR)", "in GBP", "500 EUR")."""
    from fairprocure.ingest.headers import _CURRENCY_SIGNS
    from fairprocure.reference.currency import is_currency

    text = " ".join(str(c) for row in rows for c in row if c)
    found = {code for sign, code in _CURRENCY_SIGNS.items() if sign in text}
    found |= {c for m in _TITLE_CODE.finditer(text) for c in m.groups() if c and is_currency(c)}
    return found.pop() if len(found) == 1 else None


# ---- CSV -----------------------------------------------------------------------------------------


def detect_encoding(head: bytes, path: str, mapping: Mapping) -> tuple[str, list[str]]:
    """The file's text encoding, from its start; notes if the guess is uncertain."""
    if mapping.encoding:
        try:
            head.decode(mapping.encoding, errors="strict")
        except LookupError as error:
            raise IngestError(
                f"{path}: unknown encoding {mapping.encoding!r} (from the mapping file)"
            ) from error
        except UnicodeDecodeError as error:
            if len(head) - error.start > 4:  # not just a character cut at the end of the sample
                raise IngestError(
                    f"{path}: cannot decode as {mapping.encoding} (from the mapping file): {error}"
                ) from error
        return mapping.encoding, []
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", []
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", []
    cut = head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1 or len(head)]
    try:
        cut.decode("utf-8")
        return "utf-8", []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(cut[:200_000])
    best = results.best()
    guess = best.encoding if best is not None else "cp1252"
    # charset-normalizer may prefer a rare code page (mac_cyrillic) that garbles a few letters of the
    # common ERP one (cp1251); among near-equally clean candidates, take the common one.
    near = [
        m.encoding
        for m in results
        if m.encoding in COMMON_ENCODINGS and best is not None and m.chaos <= best.chaos + 0.1
    ]
    sample = cut[:200_000]
    if not _cyrillic(sample.decode(guess, errors="replace")):  # Latin code pages overlap: try each
        near += [e for e in LATIN_ENCODINGS if _decodes(sample, e)]
    if near:  # the code page whose letters make one language's alphabet; then the commonest
        guess = max(
            dict.fromkeys(near),
            key=lambda e: (_alphabet_fit(sample.decode(e, errors="replace")), -COMMON_ENCODINGS.index(e)),
        )
    return guess, []


LATIN_ENCODINGS = ("cp1252", "cp1250", "cp1257", "cp1254", "iso8859_2")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _cyrillic(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha() and not ch.isascii()]
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) > 0.5 * len(letters) if letters else False


# Letters beyond ASCII of the languages whose code pages overlap (cp1250/cp1252/ISO 8859-2 ...).
_ALPHABETS = (
    "áčďéěíňóřšťúůýž",  # Czech, Slovak (with ĺľŕô)
    "ĺľŕôäáčďéíňóšťúýž",
    "ąćęłńóśźż",  # Polish
    "äöüß",  # German
    "àâçéèêëîïôûùüÿœæ",  # French
    "áéíñóúü¡¿",  # Spanish
    "ăâîșțşţ",  # Romanian
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Bosnian, Serbian Latin, Slovenian
    "àèéìíîòóùú",  # Italian
    "áâãàçéêíóôõú",  # Portuguese
    "åäöæøéü",  # Nordic
    "ëç",  # Albanian
    "çğıöşüâî",  # Turkish
)


def _alphabet_fit(text: str) -> float:
    """Share of the non-ASCII Latin letters of a text that one language's alphabet holds (1 if none)."""
    counts = Counter(ch for ch in text.casefold() if ch.isalpha() and not ch.isascii() and ch < "\u0370")
    total = sum(counts.values())
    if not total:
        return 1.0
    return max(sum(n for ch, n in counts.items() if ch in alphabet) for alphabet in _ALPHABETS) / total


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that gives the most rows of one width (above one column)."""
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = count * (width > 1) + 0.001 * width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_layout(path: Path, mapping: Mapping) -> Layout:
    """Encoding, delimiter and header of a CSV file, from its first megabyte."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError(f"{path}: the file is empty")
    encoding, notes = detect_encoding(head, str(path), mapping)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if len(head) == HEAD_BYTES:
        text = text[: text.rfind("\n") + 1] or text
    lines = text.splitlines(keepends=True)
    delimiter = mapping.delimiter or sniff_delimiter(
        [ln for ln in lines[: SCAN_ROWS * 4] if ln.strip()][:SCAN_ROWS]
    )
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    grid, line_after = [], []
    try:
        for row in reader:
            grid.append(row)
            line_after.append(reader.line_num)
    except csv.Error:
        pass  # the sample ends inside a quoted value
    if mapping.header_row is not None and mapping.header_row > len(grid):
        raise IngestError(
            f"{path}: header_row {mapping.header_row} (from the mapping file) is past the rows read"
        )
    info = header_of(grid, None, mapping.header_row)
    if not info.headers:
        raise IngestError(f"{path}: no table found (every cell of the first rows is empty)")
    start = 0 if info.index is None else info.index + 1
    widths = Counter(len(r) for r in grid[start:] if any(c.strip() for c in r))
    mode = widths.most_common(1)[0][0] if widths else len(info.headers)
    width = mode if info.index is None else max(len(info.headers), mode)
    headers = _unique_headers(info.headers, width)
    skip = 0 if info.index is None else line_after[info.index]
    first_data = 1 if info.index is None else info.index + 2
    sample = [r for r in grid[start:] if len(r) == width]
    if len(head) == HEAD_BYTES and sample:
        sample = sample[:-1]  # the last row read may be cut short
    title = _title_currency(grid[: (info.index or 0) - info.rows + 1])
    return Layout(
        "csv", headers, None if info.index is None else info.index + 1, info.rows, first_data,
        encoding, delimiter, skip_lines=skip, notes=notes, sample=sample, title_currency=title,
    )  # fmt: skip


def _arrow_blocks(path: Path, layout: Layout, block_bytes: int) -> Iterator[RawTable]:
    """Blocks read by Arrow; raises ArrowInvalid on a row of the wrong width or bytes not in the encoding."""
    encoding = layout.encoding.replace("-", "").replace("_", "").lower()
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            skip_rows=layout.skip_lines,
            column_names=layout.headers,
            block_size=block_bytes,
            encoding="utf8" if encoding in ("utf8", "utf8sig", "ascii") else layout.encoding,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=layout.delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(layout.headers, pa.string()),
            null_values=NULL_TOKENS,
            strings_can_be_null=True,
        ),
    )
    row = layout.first_data_row
    for batch in reader:
        if batch.num_rows:
            yield RawTable(pa.Table.from_batches([batch]), np.arange(row, row + batch.num_rows))
            row += batch.num_rows


def _python_blocks(path: Path, layout: Layout) -> Iterator[RawTable]:
    """The exact reader: rows of the wrong width are handed on as malformed, the others keep their number."""
    width = len(layout.headers)
    replaced = False
    with path.open(encoding=layout.encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=layout.delimiter)
        for _ in range(layout.first_data_row - 1):
            next(reader, None)
        rows: list[list[str]] = []
        numbers: list[int] = []
        malformed: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(reader, start=layout.first_data_row):
            if not replaced and any("\ufffd" in c for c in cells):
                replaced = True
            if len(cells) == width:
                rows.append(cells)
                numbers.append(number)
            elif any(c.strip() for c in cells):
                malformed.append((number, cells))
            if len(rows) >= PYTHON_CSV_ROWS:
                yield RawTable(_text_table(layout.headers, rows), np.array(numbers), malformed)
                rows, numbers, malformed = [], [], []
        notes = (
            ["undecodable bytes replaced with U+FFFD; set encoding in a mapping file if the text looks wrong"]
            if replaced
            else []
        )
        if rows or malformed or notes:
            yield RawTable(
                _text_table(layout.headers, rows), np.array(numbers, dtype=np.int64), malformed, notes
            )


def _text_table(headers: list[str], rows: list[list[str]]) -> pa.Table:
    if not rows:
        return pa.table({h: pa.array([], pa.string()) for h in headers})
    columns = zip(*rows, strict=True)
    return pa.table(
        {
            h: pa.array([None if v.strip() in _NULLS else v for v in col], pa.string())
            for h, col in zip(headers, columns, strict=True)
        }
    )


def csv_blocks(path: Path, layout: Layout, block_bytes: int = BLOCK_BYTES) -> Iterator[RawTable]:
    """Blocks of a CSV file: Arrow's fast reader, or the exact one when a row is malformed.

    The fast reader is tried on the whole file before anything is yielded only when it fits one block;
    for larger files the caller restarts from :func:`python_blocks` on ``pa.ArrowInvalid``.
    """
    yield from _arrow_blocks(path, layout, block_bytes)


python_blocks = _python_blocks


def read_csv_whole(path: Path, layout: Layout) -> list[RawTable]:
    """Every block of a CSV file held in memory (small files), by the fast reader or else the exact one."""
    try:
        return list(_arrow_blocks(path, layout, max(BLOCK_BYTES, path.stat().st_size + 1)))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return list(_python_blocks(path, layout))


# ---- XLSX ----------------------------------------------------------------------------------------


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
    if isinstance(value, dt.timedelta):
        return None
    return str(value).strip() or None


def _fill_merged_down(rows: list[list[object]], merged: list, first_data: int) -> int:
    """Copy a cell merged down a column into every row it covers (below the header); returns cells filled."""
    filled = 0
    for (r0, c0), (r1, c1) in merged:
        if r1 <= r0 or r0 < first_data:
            continue
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(rows[r]) and rows[r][c] in (None, ""):
                    rows[r][c] = value
                    filled += 1
    return filled


def xlsx_tables(path: Path, mapping: Mapping) -> list[tuple[Layout, RawTable]]:
    """(layout, rows) of every visible sheet that holds a table (or the sheet the mapping names)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = {m.name: m for m in workbook.sheets_metadata}
        if mapping.sheet is not None:
            ref = mapping.sheet
            if isinstance(ref, int) or str(ref).isdigit():
                names = [workbook.sheet_names[int(ref)]]
            elif str(ref) in workbook.sheet_names:
                names = [str(ref)]
            else:
                raise IngestError(
                    f"{path}: no sheet {ref!r} (from the mapping file); sheets: {workbook.sheet_names}"
                )
        else:
            names = [
                n
                for n in workbook.sheet_names
                if "visible" in str(metadata[n].visible).lower()
                and "hidden" not in str(metadata[n].visible).lower()
            ] or list(workbook.sheet_names)
        sheets = []
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            merged = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append((name, rows, merged))
    except IngestError:
        raise
    except Exception as error:  # calamine raises its own error types
        raise IngestError(f"{path}: cannot read as a spreadsheet: {error}") from error
    out = []
    for name, rows, merged in sheets:
        text = [[_cell_text(c) or "" for c in row] for row in rows]
        if not any(any(row) for row in text):
            continue
        if mapping.header_row is not None and mapping.header_row > len(text):
            continue
        info = header_of(text, merged, mapping.header_row)
        if not info.headers:
            continue
        width = max(info.width, len(info.headers))
        headers = _unique_headers(info.headers, width)
        start = 0 if info.index is None else info.index + 1
        notes = []
        filled = _fill_merged_down(rows, merged, start)
        if filled:
            notes.append(f"sheet {name!r}: {filled} cells merged down a column filled with the value above")
        data = rows[start:]
        columns: list[list[str | None]] = [[] for _ in range(width)]
        for row in data:
            cells = list(row) + [None] * (width - len(row))
            for i in range(width):
                columns[i].append(_cell_text(cells[i]))
        table = pa.table({h: pa.array(col, pa.string()) for h, col in zip(headers, columns, strict=True)})
        title = _title_currency(text[: (info.index or 0) - info.rows + 1])
        layout = Layout(
            "xlsx", headers, None if info.index is None else info.index + 1, info.rows, start + 1,
            sheet=name, notes=notes, title_currency=title,
        )  # fmt: skip
        numbers = np.arange(start + 1, start + 1 + len(data))
        out.append((layout, RawTable(table, numbers, notes=notes, sheet=name)))
    if not out:
        raise IngestError(f"{path}: every sheet is empty")
    return out


def read_tabular(path: Path, kind: str, mapping: Mapping) -> RawTable:
    """The first table of a CSV or XLSX file, whole (for ``fairprocure classify``)."""
    if kind == "xlsx":
        return xlsx_tables(path, mapping)[0][1]
    layout = csv_layout(path, mapping)
    blocks = read_csv_whole(path, layout)
    tables = [b.table for b in blocks]
    rows = np.concatenate([b.rows for b in blocks]) if blocks else np.array([], dtype=np.int64)
    return RawTable(pa.concat_tables(tables) if tables else pa.table({}), rows)


def table_headers(path: Path, kind: str, mapping: Mapping | None = None) -> list[str]:
    """The column headers of a ledger's (first) table, as its lines will be read."""
    mapping = mapping or Mapping()
    if kind == "xlsx":
        return xlsx_tables(path, mapping)[0][0].headers
    if kind == "json":
        from fairprocure.ingest.jsontable import json_tables

        return json_tables(path, mapping)[0][0].headers
    return csv_layout(path, mapping).headers
