"""Random ledgers — random headers, separators, encodings, title and footer rows, ragged and fused
rows, junk cells, CSV, XLSX or JSON records — never make the reader raise anything but a clear, file-naming error, and every
record read is either a line or quarantined with a reason.

CI runs a few hundred examples; the full run of 10,000 ledgers is::

    FAIRPROCURE_FUZZ_EXAMPLES=10000 python -m pytest tests/test_ledger_fuzz.py -q
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairprocure.ingest import read_sources
from fairprocure.ingest.headers import SYNONYMS
from fairprocure.schema import LINE_SCHEMA

EXAMPLES = int(os.environ.get("FAIRPROCURE_FUZZ_EXAMPLES", "300"))
HEADER_WORDS = sorted({n.split("|")[0] for names in SYNONYMS.values() for n in names})
TEXTS = ["Office cleaning", "Охрана здания", "Nettoyage des locaux", "Gloves", "", "Total", "Итого",
         "GRAND TOTAL:", "n/a", "-", "†††", "=SUM(A1:A9)", "Zahlungsempfänger", "a\nb", 'say "hi"', "x;y,z"]  # fmt: skip
SUPPLIERS = ["ACME LTD", "Müller GmbH", "ООО «Ромашка»", 'ТОВ "Сонце"', "Kilim S.R.L.", "J Smith", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "cp1251", "cp1250", "utf-16", "latin-1", "koi8_r"]


def _cell(rng: random.Random) -> str:
    kind = rng.choice(["amount", "amount", "date", "text", "supplier", "code", "junk", "empty"])
    if kind == "amount":
        value = rng.uniform(-1e7, 1e7) if rng.random() < 0.9 else rng.choice([0.0, 1e15, -0.004])
        form = rng.choice(["{:.2f}", "{:,.2f}", "£{:,.2f}", "({:,.2f})", "{:.0f}", "{:,.2f} €", "{:.2f}-"])
        text = form.format(abs(value) if "(" in form or form.endswith("-") else value)
        return text.replace(",", " ").replace(".", ",") if rng.random() < 0.3 else text
    if kind == "date":
        day = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 20000))
        return day.strftime(
            rng.choice(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%y", "%d-%b-%Y", "%Y%m%d"])
        )
    if kind == "text":
        return rng.choice(TEXTS)
    if kind == "supplier":
        return rng.choice(SUPPLIERS)
    if kind == "code":
        return rng.choice(["", "PO", "Z", "INV-"]) + str(rng.randrange(10 ** rng.randrange(1, 10)))
    if kind == "junk":
        return "".join(
            chr(
                rng.choice([rng.randrange(32, 127), rng.randrange(160, 0x500), rng.randrange(0x2000, 0x3000)])
            )
            for _ in range(rng.randrange(0, 12))
        )
    return ""


@st.composite
def ledgers(draw):
    """Structure drawn by Hypothesis; the cells from a seed it draws (cheap to generate by the thousand)."""
    width = draw(st.integers(1, 9))
    rng = random.Random(draw(st.integers(0, 2**32)))
    header = [rng.choice([rng.choice(HEADER_WORDS), _cell(rng), ""]) for _ in range(width)]
    rows = []
    for _ in range(draw(st.integers(0, 3))):  # title rows
        rows.append([rng.choice(["Payments over £500", "Report date: 01/02/2024", "", "Parameters:"])])
    if draw(st.integers(0, 4)):  # usually a header
        rows.append(header)
    for _ in range(draw(st.integers(0, 40))):
        row = [_cell(rng) for _ in range(width)]
        shape = rng.randrange(10)
        if shape == 0 and len(row) > 1:  # two fields fused
            row[0:2] = [row[0] + row[1]]
        elif shape == 1:  # a field too many
            row.append(_cell(rng))
        elif shape == 2:  # a blank row
            row = [""] * width
        rows.append(row)
    for _ in range(draw(st.integers(0, 2))):  # footer
        rows.append(
            [rng.choice(["Total", "", "Итого", "Grand total"])] + [_cell(rng) for _ in range(width - 1)]
        )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    kind = draw(st.sampled_from(["csv"] * 8 + ["xlsx", "json"]))
    return rows, delimiter, encoding, kind


def _write(folder: Path, rows, delimiter, encoding, kind) -> Path:
    if kind == "xlsx":
        import xlsxwriter

        path = folder / "ledger.xlsx"
        with xlsxwriter.Workbook(str(path)) as book:
            sheet = book.add_worksheet()
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    sheet.write_string(r, c, cell)
        return path
    if kind == "json":  # records keyed by the first row's cells, in a wrapper or as JSON Lines
        keys = [f"{cell}_{i}" for i, cell in enumerate(rows[0])] if rows else []
        records = [
            {k: ({"name": v} if i == 1 and v else v) for i, (k, v) in enumerate(zip(keys, row, strict=False))}
            for row in rows[1:]
        ]
        path = folder / "ledger.json"
        if delimiter == ",":
            path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        else:
            path.write_text(
                json.dumps({"meta": {"title": "Payments over £500"}, "data": records}), encoding="utf-8"
            )
        return path
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = folder / "ledger.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(ledgers())
def test_no_exception_escapes_and_every_record_is_accounted_for(ledger):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), *ledger)
        result = read_sources([path])  # an IngestError becomes a quarantined problem; nothing else may escape
        stats = result.stats[str(path)]
        assert result.lines.schema == LINE_SCHEMA
        if "error" in stats:
            assert stats["error"].startswith(str(path)) and stats["lines"] == 0
            return
        assert stats["lines"] == result.lines.num_rows
        assert stats["lines"] + stats["quarantined"] == stats["records_read"]
        for problem in result.problems:
            assert problem.file == str(path) and problem.record and problem.message


CELL_TEXT = st.text(alphabet=st.sampled_from(list("aZ09 -.,£€é\t\n\u00a0\u2003ж†=x")), max_size=8)


PLAIN_TEXT = st.from_regex(r"[a-z0-9][a-z0-9 .\u00a0]{0,6}", fullmatch=True)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(st.one_of(st.none(), CELL_TEXT, PLAIN_TEXT, PLAIN_TEXT, PLAIN_TEXT), max_size=300),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_stripping_plain_cells_first_changes_nothing(cells, start, cut):
    """``_strip`` keeps the cells that start with an ASCII letter or digit and end with printable ASCII
    as they are and trims the others: the same values as trimming and checking every cell
    (``_strip_all``), slices too."""
    import pyarrow as pa

    from fairprocure.ingest.ledger import _strip, _strip_all

    column = pa.array(cells, pa.string())
    column = column.slice(min(start, len(cells)), max(0, len(cells) - start - cut))
    assert _strip(column).to_pylist() == _strip_all(column).to_pylist()
