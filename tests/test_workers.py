"""The per-description work in worker processes gives exactly what it gives in one process."""

from __future__ import annotations

import os
import sys

import pyarrow.parquet as pq
import pytest
from conftest import DEMO

from fairprocure import workers
from fairprocure.engine import plan
from fairprocure.ingest import ledger
from fairprocure.screening import screen

LINUX = pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")


@LINUX
def test_fork_map_keeps_the_order_and_runs_in_other_processes():
    parent = os.getpid()
    out = workers.fork_map(
        lambda chunk: (os.getpid(), [x * 2 for x in chunk]), [[1, 2], [3], [4, 5]], workers=2
    )
    assert [values for _, values in out] == [[2, 4], [6], [8, 10]]
    assert parent not in {pid for pid, _ in out}  # a closure: inherited by the forked workers, never pickled


@LINUX
def test_an_error_in_a_worker_reaches_the_caller():
    def fail(chunk):
        if chunk == [2]:
            raise ValueError(f"bad chunk {chunk}")
        return chunk

    with pytest.raises(ValueError, match=r"bad chunk \[2\]"):
        workers.fork_map(fail, [[1], [2], [3]], workers=2)


def test_one_worker_a_daemon_or_no_fork_run_here(monkeypatch):
    parent = os.getpid()
    assert workers.fork_map(lambda c: os.getpid(), [[1], [2]], workers=1) == [parent, parent]
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    assert workers.fork_map(lambda c: os.getpid(), [[1], [2]], workers=2) == [parent, parent]


@LINUX
def test_a_screening_read_in_workers_equals_one_in_one_process(tmp_path, monkeypatch):
    """The text model, listed goods and ledger terms on the HMT ledger's distinct descriptions, in chunks
    of 7, and each factor module's distinct keys, in eight tasks, over two forked workers: the register
    (every line's classification, score and explanation) and the factor sets are the same as when one
    process reads them."""
    ledger = DEMO / "hmt_spend_over_25k_2025Q1.csv"
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    alone = screen([ledger], stream=True, workdir=tmp_path / "alone")
    monkeypatch.undo()

    forked: dict[str, list[int]] = {}
    fork_map = workers.fork_map

    def counted(fn, chunks, n=None):
        forked.setdefault(getattr(fn, "func", fn).__name__, []).append(len(chunks))
        return fork_map(fn, chunks, 2)

    monkeypatch.setattr(plan, "fork_map", counted)
    monkeypatch.setattr(plan, "PARALLEL_TEXTS", 1)
    monkeypatch.setattr(plan, "TEXT_CHUNK", 7)
    monkeypatch.setattr(plan, "PARALLEL_KEYS", 1)
    together = screen([ledger], stream=True, workdir=tmp_path / "forked")

    assert forked["_description_readings"][0] > 2
    assert len(forked["_part_columns"]) >= 3  # one call per active factor module
    assert max(forked["_part_columns"]) == plan.KEY_TASKS
    a, b = pq.read_table(alone.register_path), pq.read_table(together.register_path)
    assert a.num_rows > 200 and a.equals(b)
    assert alone.factor_sets().equals(together.factor_sets())


@LINUX
def test_a_ledger_staged_by_workers_equals_one_staged_in_one_process(tmp_path, monkeypatch):
    """Blocks of 2 kB (35 for the HMT ledger; a ledger with repeated headers, totals and a late column): the
    same lines in the same order, the same problems in the same order and the same counts."""
    from conftest import FIXTURES

    from fairprocure.ingest.stream import stage_sources

    rows = []
    for i in range(400):
        rows.append(f"Office {i % 7},Cleaning services {i},{100 + i},EUR,{'note' if i > 300 else ''}")
        if i % 97 == 96:
            rows.append("Office,Description,Amount,Currency,Notes")  # a page break in the export
        if i % 50 == 49:
            rows.append(",Total,5000,EUR,")
    messy = tmp_path / "messy.csv"
    messy.write_text("Office,Description,Amount,Currency,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    sources = [
        DEMO / "hmt_spend_over_25k_2025Q1.csv",
        messy,
        FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    ]
    asked = []
    fork_imap = ledger.fork_imap
    monkeypatch.setattr(ledger, "fork_imap", lambda fn, items, n: asked.append(n) or fork_imap(fn, items, n))
    together = stage_sources(sources, tmp_path / "forked", block_bytes=2000)
    assert asked == [None, None, 1]  # by workers (one per CPU); the 3-block fixture in turn
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    alone = stage_sources(sources, tmp_path / "alone", block_bytes=2000)

    assert pq.read_table(together.path).equals(pq.read_table(alone.path))
    assert together.lines == alone.lines > 600
    # each block's lines were written by the process that read them, a file per block, in reading order
    assert len(list(together.path.glob("part-00000-*.parquet"))) == 35
    assert together.problems == alone.problems and any(p.action == "quarantined" for p in alone.problems)
    assert together.stats == alone.stats
    assert sum(p.action == "quarantined" for p in alone.problems) == 4 + 8
    assert any(p.field == "Notes" for p in alone.problems)  # the late column, found in a later block
