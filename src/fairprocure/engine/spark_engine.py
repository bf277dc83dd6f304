"""Apache Spark: the same screening plan on a cluster (or ``local[*]`` on one machine).

The session is the one ``SparkSession.builder.getOrCreate()`` gives, so the usual Spark
configuration applies unchanged: ``spark-submit --master ...``, ``spark-defaults.conf``,
``PYSPARK_SUBMIT_ARGS`` or a managed service's session. Without any of those, Spark starts in local
mode on every core. Small tables travel as Arrow; large inputs are read by Spark from Parquet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
from pyspark.sql import SparkSession


def default_session(app_name: str = "fairprocure") -> SparkSession:
    """The active session, or a new one with the settings the plan relies on."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        SparkSession.builder.appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")  # dates must not shift with the driver's zone
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


class SparkBackend:
    name = "spark"

    def __init__(self, session: SparkSession | None = None, stop_on_close: bool = False) -> None:
        self.spark = session or default_session()
        self.stop_on_close = stop_on_close

    def load(self, name: str, table: pa.Table) -> None:
        frame = self.spark.createDataFrame(table)
        frame.createOrReplaceTempView(name)

    def load_parquet(self, name: str, path: str | Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def execute(self, statement: str) -> None:
        self.spark.sql(statement)

    def fetch(self, query: str) -> pa.Table:
        return self.spark.sql(query).toArrow()

    def write_parquet(self, query: str, path: str | Path, temporary: bool = False) -> None:
        """Write a query's result as a Parquet dataset (a directory of part files); zstd, temporary or not."""
        self.spark.sql(query).write.mode("overwrite").option("compression", "zstd").parquet(str(path))

    def write_ranked(self, source: str, order_by: str, path: str, top: int = 0) -> pa.Table:
        """Rank on the ordering columns only and join the ranks back (a sort-merge join on a cluster)."""
        unranked = self.spark.read.parquet(source)
        unranked.createOrReplaceTempView("unranked")
        columns = ", ".join("r.priority_rank" if c == "priority_rank" else f"u.{c}" for c in unranked.columns)
        ranks = f"SELECT line_id AS r_line_id, CAST(row_number() OVER (ORDER BY {order_by}) AS BIGINT) AS priority_rank FROM unranked"
        self.write_parquet(
            f"SELECT {columns} FROM unranked u JOIN ({ranks}) r ON u.line_id = r.r_line_id", path
        )
        return self.spark.read.parquet(path).where(f"priority_rank <= {int(top)}").toArrow()

    def days_between(self, start: str, end: str) -> str:
        return f"datediff({end}, {start})"

    def reset(self, keep: Sequence[str] = ()) -> None:
        """Drop this session's temporary views but those in ``keep`` (the session and its executors stay up)."""
        for name in self.spark.catalog.listTables():
            if name.isTemporary and name.name not in keep:
                self.spark.catalog.dropTempView(name.name)

    def release(self) -> None:
        """Nothing to do: the executors' memory is Spark's to manage."""

    def close(self) -> None:
        self.reset()
        if self.stop_on_close:
            self.spark.stop()
