"""Risk factors, one per module, each with the same small interface (after cardinal-rs).

A factor module defines:

- ``NAME``: the factor family, as it appears in the register's ``factors`` JSON;
- ``KEY``: the keyed-line columns its points depend on (see :mod:`fairprocure.score.keys`);
- ``compute(key: dict[str, str], context: Context) -> list[Factor]``: the points and evidence for one
  distinct key. Factors are computed once per distinct key, never per line, and joined back to the
  lines by the engine; so the same rules run on DuckDB and on Spark.

Adding a factor means one new module and one line in ``FACTORS`` below.
"""

from __future__ import annotations

from fairprocure.score.factors import (
    category,
    country_context,
    country_indicator,
    goods_list,
    missing_data,
    supplier_evidence,
)

FACTORS = (category, goods_list, country_context, country_indicator, missing_data, supplier_evidence)
