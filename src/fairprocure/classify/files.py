"""Classify a column of free text in a CSV or XLSX file (``fairprocure classify``)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv


def classify_csv(
    path: Path, text_column: str, out: Path | None = None, sure_threshold: float | None = None
) -> tuple[Path, int]:
    """Add ``cpv_predicted``, ``category``, ``confidence``, ``status`` (sure / needs_review /
    unclassified, by ``sure_threshold``: default the default policy's), ``candidates`` (JSON) and
    ``evidence`` to every row; return (out, rows).

    Each distinct text is classified once: real ledgers repeat descriptions heavily.
    """
    from fairprocure.classify.model import load_classifier
    from fairprocure.classify.status import classification_status
    from fairprocure.ingest.detect import detect_format
    from fairprocure.ingest.mapping import Mapping
    from fairprocure.ingest.tabular import read_tabular
    from fairprocure.score.policy import load_policy

    kind = "xlsx" if detect_format(path) == "xlsx" else "csv"
    table = read_tabular(path, kind, Mapping()).table
    if text_column not in table.column_names:
        raise ValueError(f"{path}: no column {text_column!r}; columns are {', '.join(table.column_names)}")
    texts = [t or "" for t in table.column(text_column).to_pylist()]
    distinct = list(dict.fromkeys(texts))
    predictions = dict(zip(distinct, load_classifier().predict(distinct), strict=True))
    sure = load_policy().classification.sure_threshold if sure_threshold is None else sure_threshold
    readings = {t: classification_status(p, sure) for t, p in predictions.items()}
    rows = [predictions[t] for t in texts]
    table = table.append_column("cpv_predicted", pa.array([p.cpv for p in rows], pa.string()))
    table = table.append_column("category", pa.array([p.category for p in rows], pa.string()))
    table = table.append_column("confidence", pa.array([round(p.confidence, 4) for p in rows], pa.float64()))
    table = table.append_column("status", pa.array([readings[t][0] for t in texts], pa.string()))
    table = table.append_column("candidates", pa.array([readings[t][1] for t in texts], pa.string()))
    table = table.append_column("evidence", pa.array([readings[t][2] for t in texts], pa.string()))
    out = out or path.with_suffix(".classified.csv")
    from fairprocure.spreadsheet import safe_table

    pacsv.write_csv(safe_table(table), out)  # no text from the file opens as a formula
    return out, table.num_rows
