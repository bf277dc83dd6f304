"""A streamed screening (staged to Parquet, register written by the engine) equals one in memory."""

from __future__ import annotations

import math

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import DEMO, FIXTURES, keyword_stub

from fairprocure.engine.plan import explained
from fairprocure.report import write_outputs
from fairprocure.screening import screen

INPUTS = [
    FIXTURES / "screening" / "reference_cases.csv",
    FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    FIXTURES / "ingest" / "broken_releases.jsonl",
    DEMO / "uk_contracts_finder_releases.jsonl",  # real OCDS shipped with the package
]


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_streamed_screening_gives_the_same_register_portfolio_and_outputs(tmp_path):
    inputs = INPUTS
    in_memory = screen(inputs, classifier=keyword_stub)
    streamed = screen(inputs, classifier=keyword_stub, stream=True, workdir=tmp_path / "work", top=20)

    full = explained(
        pq.read_table(streamed.register_path), streamed.factor_sets()
    )  # explanations joined back
    assert full.schema == in_memory.register.schema
    assert full.sort_by("line_id").equals(in_memory.register.sort_by("line_id"))
    assert streamed.register.num_rows == 20  # only the top rows are held in memory ...
    assert streamed.register["priority_rank"].to_pylist() == list(range(1, 21))
    assert streamed.register.equals(in_memory.register.sort_by("priority_rank").slice(0, 20))  # with factors
    assert streamed.stats == in_memory.stats
    for name, table in in_memory.portfolio.tables.items():  # ... the portfolio covers every line
        for a, b in zip(table.to_pylist(), streamed.portfolio.rows(name), strict=True):
            assert all(_close(a[k], b[k]) for k in a), (name, a, b)

    written = write_outputs(streamed, tmp_path / "out")
    assert pq.read_table(written["register.parquet"]).num_rows == in_memory.register.num_rows
    assert pacsv.read_csv(written["register.csv"]).num_rows == in_memory.register.num_rows  # fewer than top
    assert streamed.quality["lines_screened"] == in_memory.register.num_rows


def test_ranking_across_many_batches_writes_every_rank_and_returns_the_top(tmp_path):
    """The DuckDB backend ranks 40,000 lines (three of the rewrite's 16,384-line batches) on a budget of
    its own, and hands back the lines ranked 1 to ``top`` as it writes them."""
    import numpy as np
    import pyarrow as pa

    from fairprocure.engine.duckdb_engine import DuckDBBackend
    from fairprocure.engine.plan import write_ranked

    rng = np.random.default_rng(7)
    n = 40_000
    unranked = pa.table(
        {
            "line_id": [f"L{i:06d}" for i in rng.permutation(n)],
            "priority": rng.integers(0, 4, n).astype(np.float64),
            "risk_score": rng.integers(0, 50, n) / 10.0,  # many ties: line_id decides
            "priority_rank": np.zeros(n, dtype=np.int64),
            "description": [f"line {i}" for i in range(n)],
        }
    )
    pq.write_table(unranked, tmp_path / "unranked.parquet", row_group_size=5_000)
    backend = DuckDBBackend(temp_directory=tmp_path / "spill")
    head = write_ranked(backend, tmp_path / "unranked.parquet", tmp_path / "ranked.parquet", top=1_000)
    backend.close()

    ranked = pq.read_table(tmp_path / "ranked.parquet")
    # the lines stay in file order; only their ranks are filled in
    assert ranked.drop_columns("priority_rank").equals(unranked.drop_columns("priority_rank"))
    expected = sorted(unranked.to_pylist(), key=lambda r: (-r["priority"], -r["risk_score"], r["line_id"]))
    by_rank = ranked.sort_by("priority_rank")
    assert by_rank["priority_rank"].to_pylist() == list(range(1, n + 1))
    assert by_rank["line_id"].to_pylist() == [r["line_id"] for r in expected]
    assert head.equals(by_rank.slice(0, 1_000))


def test_read_ahead_keeps_the_order_and_passes_on_an_error():
    from fairprocure.engine.duckdb_engine import read_ahead

    def items():
        yield from range(5)
        raise ValueError("row group 5 is corrupt")

    seen = []
    with pytest.raises(ValueError, match="row group 5"):
        for item in read_ahead(items()):
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]
    early = read_ahead(iter(range(1_000)))
    assert next(early) == 0
    early.close()  # a writer that fails stops the reading thread after the batch it was taking


def test_a_released_duckdb_backend_keeps_its_tables_and_views(tmp_path):
    """release() hands DuckDB's kept memory back by reconnecting: every Arrow table, Parquet view and
    view made since is there again, made in an order that works; reset() keeps only what it is told."""
    import pyarrow as pa

    from fairprocure.engine.duckdb_engine import DuckDBBackend

    pq.write_table(pa.table({"x": [1, 2, 3], "z": ["a", "b", "c"]}), tmp_path / "p.parquet")
    backend = DuckDBBackend()
    backend.load("t", pa.table({"x": [1, 2, 3]}))
    backend.load_parquet("p", tmp_path / "p.parquet")
    backend.execute("CREATE OR REPLACE TEMP VIEW v AS SELECT x * 2 AS y FROM t")
    backend.execute("CREATE OR REPLACE TEMP VIEW w AS SELECT y, z FROM v JOIN p ON v.y = p.x")
    backend.execute("CREATE OR REPLACE TEMP VIEW v AS SELECT x * 2 AS y FROM t WHERE x < 3")  # now after w
    query = "SELECT * FROM w ORDER BY y"
    before = backend.fetch(query)
    assert before.to_pylist() == [{"y": 2, "z": "b"}]
    backend.release()
    assert backend.fetch(query).equals(before)

    backend.reset(keep=["t"])
    assert backend.fetch("SELECT count(*) AS n FROM t").to_pylist() == [{"n": 3}]
    with pytest.raises(duckdb.CatalogException):
        backend.fetch(query)
    backend.close()
