"""A streamed screening (staged to Parquet, register written by the engine) equals one in memory."""

from __future__ import annotations

import math

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
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
    assert streamed.stats == in_memory.stats
    for name, table in in_memory.portfolio.tables.items():  # ... the portfolio covers every line
        for a, b in zip(table.to_pylist(), streamed.portfolio.rows(name), strict=True):
            assert all(_close(a[k], b[k]) for k in a), (name, a, b)

    written = write_outputs(streamed, tmp_path / "out")
    assert pq.read_table(written["register.parquet"]).num_rows == in_memory.register.num_rows
    assert pacsv.read_csv(written["register.csv"]).num_rows == in_memory.register.num_rows  # fewer than top
    assert streamed.quality["lines_screened"] == in_memory.register.num_rows
