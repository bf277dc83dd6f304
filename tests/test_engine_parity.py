"""One plan, two engines: DuckDB and Spark must give the same register and the same portfolio.

Needs PySpark and Java 17 (``pip install -e '.[spark]'``); skipped without them. One local Spark
session serves the whole test session; the fixtures are small so the test stays quick.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import DEMO, FIXTURES, keyword_stub

from fairprocure.engine.plan import explained
from fairprocure.screening import screen

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

INPUTS = [
    FIXTURES / "screening" / "reference_cases.csv",
    FIXTURES / "ingest" / "bad_amount_currency_country.csv",
    FIXTURES / "ingest" / "broken_releases.jsonl",
    DEMO / "uk_contracts_finder_releases.jsonl",  # real OCDS shipped with the package: no ../shared needed
    FIXTURES / "screening" / "uncoded_lines.csv",
]
DECISIONS = FIXTURES / "screening" / "decisions.csv"


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("fairprocure-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _inputs() -> list[Path]:
    return INPUTS


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _factors(text: str) -> list[tuple]:
    return [(f["factor"], round(f["points"], 9), f["evidence"], f["source"]) for f in json.loads(text)]


def test_duckdb_and_spark_give_the_same_register_and_portfolio(spark):
    duck = screen(_inputs(), classifier=keyword_stub, decisions=DECISIONS)
    sparked = screen(_inputs(), classifier=keyword_stub, decisions=DECISIONS, engine="spark")
    assert sparked.engine == "spark"
    assert duck.register.num_rows > 100  # the OCDS sample and the ledgers are all there
    assert duck.register.schema == sparked.register.schema

    left = duck.register.sort_by("line_id").to_pylist()
    right = sparked.register.sort_by("line_id").to_pylist()
    assert [r["line_id"] for r in left] == [r["line_id"] for r in right]
    for a, b in zip(left, right, strict=True):
        for column in duck.register.column_names:
            if column == "factors":
                assert _factors(a[column]) == _factors(b[column]), a["line_id"]
            else:
                assert _same(a[column], b[column]), (a["line_id"], column, a[column], b[column])
    assert {r["risk_level"] for r in left} >= {"low", "high"}  # the comparison covered real scores
    statuses = {r["classification_status"] for r in left}
    assert statuses >= {"source", "decision", "sure", "needs_review", "unclassified"}  # every path compared

    assert duck.portfolio.tables.keys() == sparked.portfolio.tables.keys()
    for name in duck.portfolio.tables:
        rows_d, rows_s = duck.portfolio.rows(name), sparked.portfolio.rows(name)
        assert len(rows_d) == len(rows_s), name
        for a, b in zip(rows_d, rows_s, strict=True):
            assert a.keys() == b.keys(), name
            assert all(_same(a[k], b[k]) for k in a), (name, a, b)


def test_spark_streamed_register_written_by_spark_equals_duckdb_streamed(spark, tmp_path):
    inputs = [FIXTURES / "screening" / "reference_cases.csv"]
    duck = screen(inputs, classifier=keyword_stub, stream=True, workdir=tmp_path / "duck")
    sparked = screen(inputs, classifier=keyword_stub, engine="spark", stream=True, workdir=tmp_path / "spark")
    assert sparked.register_path.is_dir()  # Spark wrote part files, as it would on a cluster
    # the stored registers are compact (a factor-set key per line): compare them with the explanations joined back
    left = explained(pq.read_table(duck.register_path), duck.factor_sets()).sort_by("line_id").to_pylist()
    right = (
        explained(pq.read_table(sparked.register_path), sparked.factor_sets()).sort_by("line_id").to_pylist()
    )
    assert len(left) == len(right) == 14
    for a, b in zip(left, right, strict=True):
        assert all(_same(a[k], b[k]) for k in a if k != "factors"), a["line_id"]
        assert _factors(a["factors"]) == _factors(b["factors"])
    assert [r["line_id"] for r in duck.register.to_pylist()] == [
        r["line_id"] for r in sparked.register.to_pylist()
    ]


def test_the_spark_submit_application_on_staged_lines_gives_duckdbs_register(spark, tmp_path, capsys):
    from fairprocure.engine import spark_submit
    from fairprocure.ingest.stream import stage_sources
    from fairprocure.report import read_register
    from fairprocure.screening import screen_staged

    staged = stage_sources(INPUTS[:4], tmp_path / "stage").path  # a directory of LINE_SCHEMA Parquet
    duck = screen_staged(staged, classifier=keyword_stub, workdir=tmp_path / "duck")
    argv = ["--staged", str(staged), "--out", str(tmp_path / "out"), "--top", "50"]
    assert spark_submit.main(argv, classifier=keyword_stub) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["master"].startswith("local") and summary["lines"] == duck.portfolio.totals["lines"] > 100

    left = explained(pq.read_table(duck.register_path), duck.factor_sets()).sort_by("line_id").to_pylist()
    right = read_register(tmp_path / "out").sort_by("line_id").to_pylist()
    assert [r["line_id"] for r in left] == [r["line_id"] for r in right]
    for a, b in zip(left, right, strict=True):
        assert all(_same(a[k], b[k]) for k in a if k != "factors"), a["line_id"]
        assert _factors(a["factors"]) == _factors(b["factors"])
    quality = json.loads((tmp_path / "out" / "quality.json").read_text())
    assert quality["files"][str(staged)]["lines"] == len(left)
    assert pacsv.read_csv(tmp_path / "out" / "register.csv").num_rows == 50  # the top 50, as asked
