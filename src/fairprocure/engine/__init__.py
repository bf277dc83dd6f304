"""Engines run the screening plan (:mod:`fairprocure.engine.plan`) on a SQL backend.

The plan is written once; a backend only knows how to load an Arrow table, run a statement and
return a result as Arrow. DuckDB is the embedded default; Spark runs the same plan on a cluster.
"""

from __future__ import annotations

from fairprocure.engine.backend import Backend


def get_backend(name: str = "duckdb", **options: object) -> Backend:
    if name == "duckdb":
        from fairprocure.engine.duckdb_engine import DuckDBBackend

        return DuckDBBackend(**options)  # type: ignore[arg-type]
    if name == "spark":
        try:
            from fairprocure.engine.spark_engine import SparkBackend
        except ImportError as exc:
            raise RuntimeError("the Spark engine needs PySpark: pip install 'fairprocure[spark]'") from exc
        return SparkBackend(**options)  # type: ignore[arg-type]
    raise ValueError(f"unknown engine {name!r}; choose 'duckdb' or 'spark'")
