"""Portfolio view of a register: where the risk sits, by office, category, supplier and country.

Every aggregate is one SQL query over the register, run by the same engine that scored it, so a
10-million-line portfolio is summarised where it lives. Results come back as small Arrow tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.engine.backend import Backend

LEVELS = ("low", "medium", "high", "critical")
SEVERITIES = ("none_known", "exploitation", "child_labour", "forced_labour")

_SPEND = "coalesce(value_eur, 0.0)"
_HIGH = "risk_level IN ('high', 'critical')"

QUERIES: dict[str, str] = {
    "totals": f"""
        SELECT CAST(count(*) AS BIGINT) AS lines, sum({_SPEND}) AS spend_eur,
          CAST(sum(CASE WHEN value_eur IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS lines_with_value,
          sum(CASE WHEN category <> 'unclassified' THEN {_SPEND} ELSE 0.0 END) AS spend_classified_eur,
          CAST(sum(CASE WHEN cpv_source = 'source' THEN 1 ELSE 0 END) AS BIGINT) AS lines_with_source_code,
          CAST(sum(CASE WHEN cpv_source = 'predicted' THEN 1 ELSE 0 END) AS BIGINT) AS lines_classified_from_text,
          CAST(sum(CASE WHEN classification_status = 'decision' THEN 1 ELSE 0 END) AS BIGINT) AS lines_decided,
          CAST(sum(CASE WHEN classification_status = 'needs_review' THEN 1 ELSE 0 END) AS BIGINT)
            AS lines_needing_review,
          sum(CASE WHEN classification_status = 'needs_review' THEN {_SPEND} ELSE 0.0 END) AS spend_needing_review_eur,
          sum(CASE WHEN (k.p_kind = 'services' AND delivery_country IS NOT NULL)
                     OR (k.p_kind <> 'services' AND origin_country IS NOT NULL) THEN {_SPEND} ELSE 0.0 END)
            AS spend_known_origin_eur,
          CAST(sum(CASE WHEN {_HIGH} THEN 1 ELSE 0 END) AS BIGINT) AS high_lines,
          sum(CASE WHEN {_HIGH} THEN {_SPEND} ELSE 0.0 END) AS high_spend_eur
        FROM register LEFT JOIN portfolio_kinds k ON register.category = k.p_category""",
    "by_level": f"""
        SELECT risk_level, CAST(count(*) AS BIGINT) AS lines, sum({_SPEND}) AS spend_eur
        FROM register GROUP BY risk_level ORDER BY risk_level""",
    "by_office": f"""
        SELECT office, count(*) AS lines, sum({_SPEND}) AS spend_eur, avg(risk_score) AS mean_score,
          max(risk_score) AS max_score, CAST(sum(CASE WHEN {_HIGH} THEN 1 ELSE 0 END) AS BIGINT) AS high_lines,
          sum(CASE WHEN {_HIGH} THEN {_SPEND} ELSE 0.0 END) AS high_spend_eur
        FROM register GROUP BY office ORDER BY high_spend_eur DESC, office NULLS LAST""",
    "by_category": f"""
        SELECT category, category_label, count(*) AS lines, sum({_SPEND}) AS spend_eur, avg(risk_score) AS mean_score,
          max(risk_score) AS max_score, CAST(sum(CASE WHEN {_HIGH} THEN 1 ELSE 0 END) AS BIGINT) AS high_lines,
          sum(CASE WHEN {_HIGH} THEN {_SPEND} ELSE 0.0 END) AS high_spend_eur
        FROM register GROUP BY category, category_label ORDER BY high_spend_eur DESC, round(mean_score, 6) DESC, category NULLS LAST""",
    "by_supplier": f"""
        SELECT supplier_name, supplier_country, count(*) AS lines, sum({_SPEND}) AS spend_eur,
          max(risk_score) AS max_score, sum({_SPEND} * risk_score) / greatest(sum({_SPEND}), 1.0) AS weighted_score
        FROM register WHERE supplier_name IS NOT NULL
        GROUP BY supplier_name, supplier_country ORDER BY max_score DESC, spend_eur DESC, supplier_name, supplier_country NULLS LAST LIMIT 100""",
    "by_country": f"""
        SELECT coalesce(origin_country, supplier_country, delivery_country) AS country, count(*) AS lines,
          sum({_SPEND}) AS spend_eur, avg(risk_score) AS mean_score, max(risk_score) AS max_score
        FROM register GROUP BY coalesce(origin_country, supplier_country, delivery_country)
        ORDER BY max_score DESC, spend_eur DESC, country NULLS LAST""",
    "heatmap": f"""
        SELECT office, category, category_label, count(*) AS lines, sum({_SPEND}) AS spend_eur,
          avg(risk_score) AS mean_score, max(risk_score) AS max_score,
          CAST(sum(CASE WHEN {_HIGH} THEN 1 ELSE 0 END) AS BIGINT) AS high_lines
        FROM register GROUP BY office, category, category_label ORDER BY office NULLS LAST, category NULLS LAST""",
    "matrix": f"""
        SELECT risk_level AS likelihood, severity, count(*) AS lines, sum({_SPEND}) AS spend_eur
        FROM register GROUP BY risk_level, severity ORDER BY risk_level, severity""",
    "top_contracts": f"""
        SELECT office, contract_id, max(risk_score) AS max_score, max(priority) AS priority, count(*) AS lines,
          sum({_SPEND}) AS spend_eur, min(priority_rank) AS first_rank
        FROM register WHERE {_HIGH}
        GROUP BY office, contract_id ORDER BY priority DESC, max_score DESC, office NULLS LAST, contract_id NULLS LAST LIMIT {{top}}""",
    "top_lines": """
        SELECT r.line_id, r.office, r.contract_id, r.description, r.supplier_name, r.category_label,
          r.classification_status, r.value_eur, r.risk_score,
          r.risk_level, r.severity, r.priority, r.priority_rank, {factors} AS factors
        FROM (SELECT * FROM register ORDER BY priority_rank LIMIT {top}) r {explain}
        ORDER BY r.priority_rank""",
}


@dataclass
class Portfolio:
    """Aggregates of one register; each value is a small Arrow table."""

    tables: dict[str, pa.Table] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pa.Table:
        return self.tables[name]

    def rows(self, name: str) -> list[dict]:
        return self.tables[name].to_pylist()

    @property
    def totals(self) -> dict:
        return self.rows("totals")[0]


def summarise(
    backend: Backend, register: pa.Table | None = None, top: int = 25, explain_from: str | None = None
) -> Portfolio:
    """Aggregate the register (loaded into the backend as ``register`` unless already there).

    ``explain_from``: the register is compact (``factor_set``, no ``factors``) and this table holds the
    factor sets (``factor_set``, ``factors``).
    """
    if register is not None:
        backend.load("register", register)
    taxonomy = load_taxonomy()
    ids = list(taxonomy.categories)
    backend.load("portfolio_kinds", pa.table({"p_category": ids, "p_kind": [taxonomy[c].kind for c in ids]}))
    if explain_from:  # a compact register: the top lines' explanations come from the factor sets
        explain = f"LEFT JOIN {explain_from} x ON r.factor_set = x.factor_set"
        factors = "x.factors"
    else:
        explain, factors = "", "r.factors"
    return Portfolio(
        {
            name: backend.fetch(sql.format(top=int(top), explain=explain, factors=factors))
            for name, sql in QUERIES.items()
        }
    )
