"""Streaming ingest reads block by block and gives exactly the lines of the in-memory reader."""

from __future__ import annotations

import orjson
import pyarrow.parquet as pq
from conftest import DEMO, FIXTURES

from fairprocure.ingest import read_sources
from fairprocure.ingest.stream import stage_sources

SOURCES = [
    FIXTURES / "screening" / "reference_cases.csv",
    FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    FIXTURES / "ingest" / "cp1251_russian_semicolon.csv",
    FIXTURES / "ingest" / "broken_releases.jsonl",
    FIXTURES / "ingest" / "merged_two_row_header.xlsx",
    FIXTURES / "ingest" / "empty.csv",
    DEMO / "paraguay_dncp_releases.jsonl",  # real OCDS shipped with the package
]


def _quarantined(problems) -> list[tuple[str, str]]:
    return sorted((p.file, p.record) for p in problems if p.action == "quarantined")


def test_tiny_blocks_give_the_same_lines_stats_and_quarantine_as_reading_in_memory(tmp_path):
    sources = [str(p) for p in SOURCES]
    in_memory = read_sources(sources)
    staged = stage_sources(
        sources, tmp_path, block_bytes=400, jsonl_bucket_bytes=20_000
    )  # many blocks per file
    lines = pq.read_table(staged.path)
    assert lines.num_rows == staged.lines == in_memory.lines.num_rows > 0
    assert lines.sort_by("line_id").to_pylist() == in_memory.lines.sort_by("line_id").to_pylist()
    assert staged.stats == in_memory.stats
    assert _quarantined(staged.problems) == _quarantined(in_memory.problems)


def test_a_malformed_csv_row_is_quarantined_and_every_other_row_keeps_its_number(tmp_path):
    ledger = tmp_path / "ledger.csv"
    rows = [f"Office {i},Cleaning services {i},{100 + i},EUR" for i in range(2, 40)]
    rows[20] = "Office X,a row with,too,many,fields"  # spreadsheet row 22
    ledger.write_text("Office,Description,Amount,Currency\n" + "\n".join(rows) + "\n", encoding="utf-8")
    staged = stage_sources([ledger], tmp_path / "work", block_bytes=300)
    lines = pq.read_table(staged.path).to_pylist()
    records = [line["source_record"] for line in lines]
    assert "row 22" not in records and len(records) == 37
    assert records == [f"row {n}" for n in range(2, 40) if n != 22]
    assert all(line["description"] == f"Cleaning services {line['source_record'][4:]}" for line in lines)
    [problem] = [p for p in staged.problems if p.action == "quarantined"]
    assert problem.record == "row 22" and "5 fields" in problem.message
    assert staged.stats[str(ledger)]["records_read"] == 38


def _release(ocid: str, rid: str, date: str, title: str) -> bytes:
    award = {"id": "a1", "title": title, "value": {"amount": 100, "currency": "EUR"}}
    return orjson.dumps({"ocid": ocid, "id": rid, "date": date, "tag": ["award"], "awards": [award]})


def test_releases_of_one_ocid_anywhere_in_a_large_file_are_merged_and_a_broken_line_quarantined(tmp_path):
    path = tmp_path / "releases.jsonl"
    lines = [
        _release("ocds-1", "r1", "2024-01-01", "first"),
        _release("ocds-2", "r1", "2024-01-01", "one"),
        _release("ocds-2", "r2", "2024-02-01", "two"),
        b'{"ocid": "ocds-3", "broken',
        _release("ocds-2", "r3", "2024-03-01", "three"),  # not adjacent, still the same process
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    staged = stage_sources([path], tmp_path / "work", jsonl_bucket_bytes=100)
    table = pq.read_table(staged.path)
    by_id = dict(zip(table["line_id"].to_pylist(), table["description"].to_pylist(), strict=True))
    assert by_id == {"ocds-1/a1": "first", "ocds-2/a1": "three"}  # merged: the latest title
    [problem] = [p for p in staged.problems if p.action == "quarantined"]
    assert problem.record == "line 4" and "not valid JSON" in problem.message


def test_a_column_empty_in_the_first_block_is_reported_where_it_fills(tmp_path):
    ledger = tmp_path / "late.csv"
    rows = [f"Cleaning {i},{i},EUR," for i in range(30)] + [
        f"Cleaning {i},{i},EUR,note {i}" for i in range(30)
    ]
    ledger.write_text("Description,Amount,Currency,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    staged = stage_sources([ledger], tmp_path / "work", block_bytes=200)
    notes = [p for p in staged.problems if p.field == "Notes"]
    assert len(notes) == 1 and "mapping file" in notes[0].message


def _tricky_lines() -> list[bytes]:
    """Lines whose ocid a regular expression alone would get wrong, between real releases."""
    first = orjson.loads((DEMO / "paraguay_dncp_releases.jsonl").read_bytes().splitlines()[0])
    ocid = first["ocid"]
    escaped = _release("ocds-\\u00e9", "r2", "2024-02-01", "escaped").replace(
        b"ocds-\\\\u00e9", b"ocds-\\u00e9"
    )
    return [
        orjson.dumps(
            {"compiledRelease": first | {"date": "2030-01-01"}}
        ),  # a record: ocid in its compiled release
        _release("ocds-\u00e9", "r1", "2024-01-01", "plain"),
        escaped,  # the same ocid, written with an escape: merged with the line above
        orjson.dumps(
            {"ocid": "ocds-q", "id": "1", "tag": ["award"], "awards": [{"id": "a", "title": "ocid"}]}
        ),
        orjson.dumps({"ocid": 5, "id": "1", "tag": ["award"], "awards": [{"id": "a"}]}),  # quarantined
        orjson.dumps({"releases": [_r | {"ocid": ocid} for _r in [{"id": "p1", "tag": ["tender"]}]]}),
        b"",
        b'{"ocid": "ocds-broken", "awards": [',  # quarantined, with its line number
    ]


def test_worker_processes_give_the_same_lines_problems_and_stats_as_one_process(tmp_path):
    path = tmp_path / "mixed.jsonl"
    releases = [
        line
        for name in ("paraguay_dncp_releases.jsonl", "uk_contracts_finder_releases.jsonl")
        for line in (DEMO / name).read_bytes().splitlines()
    ]
    tricky = _tricky_lines()
    lines = releases[:100] + tricky[:4] + releases[100:200] + tricky[4:] + releases[200:]
    path.write_bytes(b"\n".join(lines) + b"\n")
    options = {"jsonl_bucket_bytes": 64_000, "jsonl_parallel_bytes": 0}  # about 25 buckets
    serial = stage_sources([path], tmp_path / "one", workers=1, **options)
    parallel = stage_sources([path], tmp_path / "two", workers=2, **options)
    in_memory = read_sources([path])

    rows = pq.read_table(parallel.path).to_pylist()
    assert rows == pq.read_table(serial.path).to_pylist()  # same lines, same order
    assert sorted(rows, key=lambda r: r["line_id"]) == in_memory.lines.sort_by("line_id").to_pylist()
    assert parallel.problems == serial.problems
    assert _quarantined(parallel.problems) == _quarantined(in_memory.problems)
    assert parallel.stats[str(path)].pop("workers") == 2 and "workers" not in serial.stats[str(path)]
    assert parallel.stats == serial.stats == in_memory.stats
    by_id = {r["line_id"]: r for r in rows}
    assert (
        by_id["ocds-\u00e9/a1"]["description"] == "escaped"
    )  # both lines of the ocid merged: the latest wins
    reasons = {p.record: p.message for p in parallel.problems if p.action == "quarantined"}
    assert "not valid JSON" in reasons["line 208"]  # the broken line, by its number (after a blank one)
    assert reasons["line 205"] == "release without ocid"  # "ocid": 5, after 100 + 4 + 100 lines


def _stage_in_daemon(path, work, queue) -> None:
    staged = stage_sources([path], work, workers=2, jsonl_bucket_bytes=64_000, jsonl_parallel_bytes=0)
    queue.put((staged.lines, staged.stats[str(path)].get("workers", 1)))


def test_a_daemonic_process_such_as_a_web_job_reads_in_one_process(tmp_path):
    import multiprocessing

    path = DEMO / "uk_contracts_finder_releases.jsonl"  # 597 kB: about 10 buckets
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    job = context.Process(target=_stage_in_daemon, args=(path, tmp_path / "work", queue), daemon=True)
    job.start()
    lines, workers = queue.get(timeout=120)
    job.join(30)
    assert job.exitcode == 0 and workers == 1  # daemonic processes may not have children
    assert lines == read_sources([path]).lines.num_rows > 0


def test_the_line_index_finds_every_line_however_the_file_is_cut_and_read(tmp_path):
    from fairprocure.ingest.stream import _file_lines, _index_range

    lines = [b'{"ocid": "a"}', b"", b"  ", b'{"ocid": "b", "x": "' + b"y" * 300 + b'"}\r', b'{"ocid": "a"}']
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"\n".join(lines))  # no newline after the last line
    with path.open("rb", buffering=0) as handle:  # a buffer of 16 bytes: one line is longer than it
        found = [(at, bytes(data[start:end])) for at, data, start, end in _file_lines(handle, 0, chunk=16)]
    offsets = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    assert found == [(o, x + b"\n") for o, x in zip(offsets, lines[:-1], strict=False)] + [
        (offsets[-1], lines[-1])
    ]

    size = path.stat().st_size
    whole, count = _index_range(str(path), 0, size, 8)
    assert count == 5 and whole[:, 0].tolist() == [0, 3, 4]  # blank lines counted, not indexed
    assert whole[:, 2].tolist() == [13, len(lines[3]) - 1, 13]  # without \r
    assert whole[0, 3] == whole[2, 3]  # one ocid, one bucket
    for cut in range(1, size):  # ranges cut anywhere give each line once, to the range it starts in
        first, n1 = _index_range(str(path), 0, cut, 8)
        second, n2 = _index_range(str(path), cut, size, 8)
        assert n1 + n2 == 5
        assert first[:, 1:].tolist() + second[:, 1:].tolist() == whole[:, 1:].tolist()


def test_lines_parsed_only_where_they_are_read_give_the_lines_and_problems_of_a_whole_parse():
    from fairprocure.ingest.ocds import ocds_lines
    from fairprocure.ingest.stream import _parse_lines

    releases = (DEMO / "paraguay_dncp_releases.jsonl").read_bytes().splitlines()[:30]
    first, other = orjson.loads(releases[0]), orjson.loads(releases[1])
    ocid = first["ocid"]
    unread = {"tender": {"items": [{"id": "x", "description": "ñandutí"}]}}
    texts = [
        orjson.dumps(  # a record: only its ocid and compiled release are read
            {"ocid": ocid, "compiledRelease": first | {"date": "2030-01-01"}, "versionedRelease": unread}
        ),
        *releases,  # the first one's ocid has a compiled release: it is read as its ocid alone
        b'{"ocid": "' + ocid.encode() + b'", "title": "\xff"}',  # not UTF-8: quarantined as when parsed whole
        orjson.dumps({"releases": [other | {"ocid": "ocds-pkg"}]}),  # a package without ocid: parsed whole
        orjson.dumps({"ocid": "", "compiledRelease": other | {"ocid": "ocds-own"}}),  # ocid in its release
        orjson.dumps({"compiledRelease": [1], "releases": [other | {"tag": ["award"]}]}),
        b"[1, 2]",
        b'{"ocid": "ocds-broken", "awards": [',
        b'{"x": ' + b"[" * 1020 + b"]" * 1020 + b"}",  # deeper than msgspec reads; no ocid: quarantined
    ]
    texts = [(f"line {i}", text) for i, text in enumerate(texts, start=1)]
    whole, broken = [], []
    for place, text in texts:
        try:
            whole.append((place, orjson.loads(text)))
        except orjson.JSONDecodeError as error:
            broken.append((place, f"not valid JSON (truncated or broken): {error}"))
    objects, bad = _parse_lines(texts)
    assert bad == broken and len(broken) == 2 and objects[1] == (texts[1][0], {"ocid": ocid})
    lines, problems, stats = ocds_lines(objects, bad, "s.jsonl")
    expected = ocds_lines(whole, broken, "s.jsonl")
    assert lines.to_pylist() == expected[0].to_pylist() and lines.num_rows > 30
    assert problems == expected[1] and stats == expected[2]

    # The one difference: a number too large for a double, in a part that is not read.
    too_large = texts[0][1].replace(b'"versionedRelease":{', b'"versionedRelease":{"n":1e400,')
    objects, bad = _parse_lines([("line 1", too_large)])
    assert not bad and objects[0][1]["compiledRelease"]["date"] == "2030-01-01"


def test_ids_repeated_across_files_are_numbered_as_in_memory_and_distinct_ones_are_left_alone(tmp_path):
    import duckdb
    import pyarrow as pa

    from fairprocure.ingest.stream import _ids_distinct

    ledger = FIXTURES / "screening" / "reference_cases.csv"
    copy = tmp_path / "copy.csv"
    copy.write_bytes(ledger.read_bytes())
    staged = stage_sources([ledger, copy], tmp_path / "work", block_bytes=400)
    ids = pq.read_table(staged.path).column("line_id").to_pylist()
    assert ids == read_sources([ledger, copy]).lines.column("line_id").to_pylist()
    assert len(set(ids)) == len(ids) and sum("#2" in i for i in ids) == len(ids) // 2

    con = duckdb.connect()
    con.register("distinct_ids", pa.table({"line_id": [f"id-{i}" for i in range(5000)]}))
    con.register("one_repeat", pa.table({"line_id": [f"id-{i}" for i in range(5000)] + ["id-4321"]}))
    assert _ids_distinct(con, "distinct_ids") and not _ids_distinct(con, "one_repeat")
