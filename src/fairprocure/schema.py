"""The canonical tables every layer agrees on: procurement lines in, register lines out.

``LINE_SCHEMA`` is what every reader in :mod:`fairprocure.ingest` produces, whatever the source
(OCDS, a CSV or XLSX spend ledger). ``REGISTER_COLUMNS`` is the stable column order of the risk
register written by ``fairprocure screen``. Both are documented in ``docs/data-model.md``.
Countries are ISO 3166-1 alpha-3 codes; currencies ISO 4217 codes; dates ISO dates.
"""

from __future__ import annotations

import pyarrow as pa

LINE_FIELDS: list[tuple[str, pa.DataType, str]] = [
    (
        "line_id",
        pa.string(),
        "The line's identity: record_id, else fp:<fingerprint>; repeats within a screening get #2, #3 ...",
    ),
    ("office", pa.string(), "Organisation unit (office, executive structure, field operation) that bought"),
    ("contract_id", pa.string(), "Contract, award or purchase-order identifier (what lines roll up into)"),
    (
        "record_id",
        pa.string(),
        "The source's own identifier of this record (transaction, invoice, document or OCDS item), if any",
    ),
    (
        "fingerprint",
        pa.string(),
        "16 hex digits identifying the line's content: the same purchase from any file has the same one",
    ),
    ("description", pa.string(), "What was bought, as the source describes it (title and description)"),
    (
        "classification_scheme",
        pa.string(),
        "Scheme of classification_code as given (CPV, UNSPSC, a local catalogue)",
    ),
    ("classification_code", pa.string(), "Code as given by the source"),
    ("cpv", pa.string(), "8-digit CPV 2008 code when the source gives one, else null"),
    ("supplier_name", pa.string(), "Supplier (awardee, payee) name"),
    ("supplier_id", pa.string(), "Supplier identifier (company number, tax id, OCDS party id)"),
    ("supplier_country", pa.string(), "Country where the supplier is registered (ISO alpha-3)"),
    (
        "origin_country",
        pa.string(),
        "Country of production or origin of the goods, where known (ISO alpha-3)",
    ),
    ("delivery_country", pa.string(), "Country of delivery or performance (ISO alpha-3)"),
    ("quantity", pa.float64(), "Quantity, where given"),
    ("value", pa.float64(), "Line value in the original currency"),
    ("currency", pa.string(), "ISO 4217 code of value"),
    ("value_eur", pa.float64(), "Value converted to euros at the reference rate of the line's date"),
    ("date", pa.date32(), "Date of the order, award, contract or payment"),
    ("end_date", pa.date32(), "End of the contract period, where known"),
    ("procurement_method", pa.string(), "Procurement method (open, selective, limited, direct, ...)"),
    ("source_file", pa.string(), "File the line was read from"),
    ("source_record", pa.string(), "Where in the file: row number, or OCID and item path for OCDS"),
    ("data_issues", pa.string(), "JSON list of problems found in this line's data that did not stop it"),
]

LINE_SCHEMA = pa.schema([pa.field(name, dtype) for name, dtype, _ in LINE_FIELDS])
LINE_COLUMNS = [name for name, _, _ in LINE_FIELDS]

# The register: stable, documented columns (docs/data-model.md). Never reorder or rename casually.
REGISTER_FIELDS: list[tuple[str, pa.DataType, str]] = [
    ("line_id", pa.string(), "As in the line table"),
    ("office", pa.string(), "As in the line table"),
    ("contract_id", pa.string(), "As in the line table"),
    ("record_id", pa.string(), "As in the line table"),
    ("fingerprint", pa.string(), "As in the line table"),
    ("description", pa.string(), "As in the line table"),
    ("supplier_name", pa.string(), "As in the line table"),
    ("supplier_country", pa.string(), "As in the line table"),
    ("origin_country", pa.string(), "As in the line table"),
    ("delivery_country", pa.string(), "As in the line table"),
    ("cpv", pa.string(), "CPV code given by the source, or predicted from the text (see cpv_source)"),
    (
        "cpv_source",
        pa.string(),
        "'source' when the data gave the code, 'predicted' when classified from text",
    ),
    ("category", pa.string(), "Taxonomy category id (fairprocure.classify.taxonomy)"),
    ("category_label", pa.string(), "Human-readable category name"),
    ("category_confidence", pa.float64(), "Confidence of the category, 0-1 (1 for a source CPV code)"),
    (
        "classification_status",
        pa.string(),
        "source (code given in the data) / decision (a person's decision) / sure (read from text with a "
        "probability at or above the policy's sure_threshold) / needs_review (below it) / unclassified",
    ),
    (
        "category_candidates",
        pa.string(),
        'Text readings only: JSON list of {"category", "cpv", "probability"}, most probable first',
    ),
    ("classification_evidence", pa.string(), "Why the line got its category"),
    (
        "classification_message",
        pa.string(),
        'classification_evidence as a translatable message: {"t": template key, "p": parameters}',
    ),
    ("value", pa.float64(), "Original value"),
    ("currency", pa.string(), "Original currency"),
    ("value_eur", pa.float64(), "Value in euros"),
    ("date", pa.date32(), "As in the line table"),
    ("risk_score", pa.float64(), "0-100; exactly the sum of the points in factors"),
    ("risk_level", pa.string(), "low / medium / high / critical, by the policy's thresholds"),
    ("likelihood", pa.float64(), "Likelihood part of the score (0-100 scale), for the matrix"),
    ("severity", pa.string(), "Severity band: child_labour / forced_labour / exploitation / none-known"),
    ("priority", pa.float64(), "Ordering key: risk weighted by leverage (value, duration); higher first"),
    ("priority_rank", pa.int64(), "1 = the line to look at first"),
    ("factors", pa.string(), "JSON list of {factor, points, evidence, source}; points add up to risk_score"),
    ("source_file", pa.string(), "As in the line table"),
    ("source_record", pa.string(), "As in the line table"),
    ("data_issues", pa.string(), "As in the line table"),
]
REGISTER_COLUMNS = [name for name, _, _ in REGISTER_FIELDS]
REGISTER_SCHEMA = pa.schema([pa.field(name, dtype) for name, dtype, _ in REGISTER_FIELDS])

# A line's factors are one of a few thousand distinct combinations: the stored register (register.parquet,
# the streamed register) keeps a key to its factor set in place of the JSON, and the sets are a small table
# (factor_sets.parquet). The explanation is joined back only where it is shown (CSV/XLSX, the report, the web).
FACTOR_SET_FIELD = (
    "factor_set",
    pa.string(),
    "Key of the line's explanation in factor_sets.parquet (the same factors give the same key)",
)
COMPACT_REGISTER_FIELDS = [FACTOR_SET_FIELD if f[0] == "factors" else f for f in REGISTER_FIELDS]
COMPACT_REGISTER_COLUMNS = [name for name, _, _ in COMPACT_REGISTER_FIELDS]
COMPACT_REGISTER_SCHEMA = pa.schema([pa.field(name, dtype) for name, dtype, _ in COMPACT_REGISTER_FIELDS])
FACTOR_SETS_SCHEMA = pa.schema([pa.field("factor_set", pa.string()), pa.field("factors", pa.string())])


def empty_lines() -> pa.Table:
    return LINE_SCHEMA.empty_table()


# Columns with a value per line (ids, fingerprints, amounts): a Parquet dictionary would only cost time.
UNIQUE_PER_LINE = frozenset(
    {
        "line_id",
        "fingerprint",
        "record_id",
        "source_record",
        "priority",
        "priority_rank",
        "value",
        "value_eur",
    }
)


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """The columns worth dictionary-encoding in Parquet: those that repeat their values."""
    return [name for name in schema.names if name not in UNIQUE_PER_LINE]
