"""Factors stored once: the register keeps a factor-set key, the distinct sets are a small table, and
the explanation joined back for any line is identical, byte for byte, to the one built on the line."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, SHARED_DATA, keyword_stub

from fairprocure.engine import get_backend
from fairprocure.engine.plan import (
    _key_columns,
    distinct_keys,
    factor_sets,
    plan_register,
    run_plan,
    write_factor_sets,
)
from fairprocure.ingest import read_sources
from fairprocure.report import write_outputs
from fairprocure.schema import COMPACT_REGISTER_COLUMNS, FACTOR_SETS_SCHEMA, REGISTER_COLUMNS
from fairprocure.score.factors import FACTORS
from fairprocure.score.model import Context
from fairprocure.screening import screen

INPUTS = [
    FIXTURES / "screening" / "reference_cases.csv",
    FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    FIXTURES / "ingest" / "broken_releases.jsonl",
    FIXTURES / "screening" / "uncoded_lines.csv",
    SHARED_DATA / "ocds_samples" / "uk_contracts_finder" / "releases.jsonl",
]
DECISIONS = FIXTURES / "screening" / "decisions.csv"


@pytest.fixture(scope="module")
def evidence(tmp_path_factory):
    path = tmp_path_factory.mktemp("evidence") / "evidence.csv"
    path.write_text(  # +90 points: scores above 100, so the cap item is compared too
        "supplier,points,evidence,source\nCafe Import GmbH,90,Grievance upheld,grievance 2024\n"
        "Phone Distribution AG,-5,SMETA audit passed,audit 2024\n"
    )
    return path


def _register(explain: str, evidence) -> object:
    inputs = [p for p in INPUTS if p.exists()]
    context = Context.build(None, None, (), evidence, DECISIONS)
    backend = get_backend("duckdb")
    try:
        return run_plan(backend, read_sources(inputs).lines, context, keyword_stub, explain=explain)
    finally:
        backend.close()


def test_every_line_shows_the_explanation_it_had_when_built_per_line(evidence):
    per_line = _register("line", evidence)
    by_set = _register("set", evidence)
    assert per_line.num_rows == by_set.num_rows > 20
    assert by_set.equals(per_line)  # every column, the factors JSON byte for byte, and the keys
    factors = per_line["factors"].to_pylist()
    assert any('"factor":"cap"' in f for f in factors)  # the cap item went through the sets as well
    sets = {}
    for key, text in zip(per_line["factor_set"].to_pylist(), factors, strict=True):
        assert sets.setdefault(key, text) == text  # one key, one explanation
    assert len(sets) < per_line.num_rows  # lines share their sets


def test_the_stored_register_is_compact_and_the_sets_explain_it(tmp_path):
    inputs = [p for p in INPUTS if p.exists()]
    in_memory = screen(inputs, classifier=keyword_stub)
    streamed = screen(inputs, classifier=keyword_stub, stream=True, workdir=tmp_path / "w", top=10)
    for result, out in ((in_memory, tmp_path / "a"), (streamed, tmp_path / "b")):
        paths = write_outputs(result, out)
        stored = pq.read_table(paths["register.parquet"])
        sets = pq.read_table(paths["factor_sets.parquet"])
        assert stored.column_names == COMPACT_REGISTER_COLUMNS and "factors" not in stored.column_names
        assert sets.schema == FACTOR_SETS_SCHEMA
        assert sets.num_rows == len(set(stored["factor_set"].to_pylist())) < stored.num_rows
        explanation = dict(zip(sets["factor_set"].to_pylist(), sets["factors"].to_pylist(), strict=True))
        shown = {r["line_id"]: r["factors"] for r in in_memory.register.to_pylist()}
        for row in stored.select(["line_id", "factor_set"]).to_pylist():
            assert explanation[row["factor_set"]] == shown[row["line_id"]]
    assert streamed.register.column_names == [*REGISTER_COLUMNS, "factor_set"]
    top = in_memory.register.sort_by("priority_rank").slice(0, 10)
    assert streamed.register.select(REGISTER_COLUMNS).equals(top.select(REGISTER_COLUMNS))


def test_the_web_job_gets_every_line_with_its_factors_from_a_streamed_screening(tmp_path):
    from fairprocure.web.screenings import engine

    source = FIXTURES / "screening" / "reference_cases.csv"
    engine.screen_to_parquet(source, tmp_path, lambda f, m: None, stream_above=0)  # streamed
    stored = pq.read_table(tmp_path / engine.REGISTER)
    assert stored.column_names[: len(REGISTER_COLUMNS)] == REGISTER_COLUMNS
    in_memory = screen([source]).register
    assert (
        stored.select(REGISTER_COLUMNS)
        .sort_by("line_id")
        .equals(in_memory.select(REGISTER_COLUMNS).sort_by("line_id"))
    )


def test_one_pass_gives_each_factor_module_its_distinct_keys(evidence, tmp_path):
    """The grouping-sets pass returns, per module, exactly what a SELECT DISTINCT per module returns; the
    sets written a few keys per query are the sets the engine sorts at once."""
    indicator = tmp_path / "gsi.csv"
    indicator.write_text("country,score\nTurkmenistan,80\nGermany,5\n")
    context = Context.build(None, None, (indicator,), evidence, DECISIONS)
    modules = [m for m in FACTORS if m.active(context)]
    assert len(modules) == len(FACTORS)  # every module, the overlapping keys (category, context_country) too
    backend = get_backend("duckdb")
    try:
        backend.load("lines", read_sources([p for p in INPUTS if p.exists()]).lines)
        query = plan_register(backend, context, keyword_stub)
        keys = backend.fetch(f"SELECT DISTINCT factor_set FROM ({query})").column("factor_set").to_pylist()
        write_factor_sets(backend, keys, tmp_path / "sets.parquet", chunk=3)
        written = pq.read_table(tmp_path / "sets.parquet")
        assert written.equals(factor_sets(backend, keys)) and written.num_rows == len(set(keys)) > 6
        for module, keys in zip(modules, distinct_keys(backend, modules), strict=True):
            columns = _key_columns(module)
            alone = backend.fetch(f"SELECT DISTINCT {', '.join(columns)} FROM keyed")
            assert keys.column_names == columns
            rows = sorted((tuple(r.values()) for r in keys.to_pylist()), key=repr)
            expected = sorted((tuple(r.values()) for r in alone.to_pylist()), key=repr)
            assert rows == expected and len(rows) > 1, module.NAME
    finally:
        backend.close()
