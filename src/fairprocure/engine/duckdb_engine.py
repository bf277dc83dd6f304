"""The embedded default engine: DuckDB, in memory, spilling to a temporary directory when needed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa


class DuckDBBackend:
    name = "duckdb"

    def __init__(
        self,
        memory_limit: str = "1500MB",
        threads: int | None = None,
        temp_directory: str | Path | None = None,
    ) -> None:
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute("SET preserve_insertion_order = false")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if temp_directory:
            self.con.execute(f"SET temp_directory = '{temp_directory}'")
        self._tables: dict[str, pa.Table] = {}

    def load(self, name: str, table: pa.Table) -> None:
        self._tables[name] = table  # keep a reference: DuckDB scans the Arrow table in place
        self.con.register(name, table)

    def load_parquet(self, name: str, path: str | Path) -> None:
        """Query a Parquet file, or a directory of them, as ``name`` without loading it into memory."""
        pattern = f"{path}/*.parquet" if Path(path).is_dir() else str(path)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet('{pattern}')")

    def write_parquet(self, query: str, path: str | Path) -> None:
        """Write a query's result to one Parquet file, streaming (the result never sits in Python)."""
        self.con.execute(
            f"COPY ({query}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)"
        )

    def execute(self, statement: str) -> None:
        self.con.execute(statement)

    def fetch(self, query: str) -> pa.Table:
        return self.con.execute(query).fetch_arrow_table()

    def days_between(self, start: str, end: str) -> str:
        return f"date_diff('day', {start}, {end})"

    def close(self) -> None:
        self.con.close()
