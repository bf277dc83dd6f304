"""Re-classify and re-score register lines in place, with the library, after a classification decision.

A decision changes what a line is, and so its score (category points, goods × country, country
context, missing data). The lines are rebuilt as library lines (``fairprocure.schema.LINE_SCHEMA``)
from what the register keeps, run through the library's one screening plan with the office's
decisions in force (``fairprocure.engine.plan.run_plan``), and their classification and score columns
are replaced. What the register does not keep — a contract's end date — is not needed: the leverage
(value and duration) does not depend on the category, so a line's priority keeps its leverage
(``priority / risk_score``). The organisation-wide order, the office's figures and its contracts follow.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import pyarrow as pa
from django.db import transaction

from fairprocure.classify.model import UNUSABLE
from fairprocure.engine import get_backend
from fairprocure.engine.plan import run_plan
from fairprocure.schema import LINE_COLUMNS, LINE_SCHEMA
from fairprocure.score.model import Context
from fairprocure.web.register.models import Line

# What a re-scoring replaces on each line (the register's classification and score columns).
REPLACED = [
    "cpv",
    "cpv_source",
    "category",
    "category_label",
    "category_confidence",
    "classification_status",
    "category_candidates",
    "classification_evidence",
    "classification_message",
    "risk_score",
    "risk_level",
    "likelihood",
    "severity",
    "priority",
    "factors",
]
_LIMITS = {f.name: f.max_length for f in Line._meta.fields if getattr(f, "max_length", None)}


def _library_line(line: Line) -> dict:
    """The library line a register line was screened from, as far as the register keeps it."""
    return {
        "line_id": line.line_id,
        "office": line.office_name or None,
        "contract_id": line.contract_id or None,
        "record_id": line.record_id or None,
        "fingerprint": line.fingerprint or None,
        "description": line.description or None,
        # a code given in the data beats a decision: such lines are never re-scored here
        "cpv": line.cpv if line.cpv_source == "source" else None,
        "supplier_name": line.supplier_name or None,
        "supplier_country": line.supplier_country or None,
        "origin_country": line.origin_country or None,
        "delivery_country": line.delivery_country or None,
        "value": line.value,
        "currency": line.currency or None,
        "value_eur": line.value_eur,
        "date": line.date,
        "source_file": line.source_file or None,
        "source_record": line.source_record or None,
        "data_issues": line.data_issues or None,
    }


def _no_text_model(texts):
    return [UNUSABLE] * len(texts)


def _supplier_evidence(directory: Path) -> Path | None:
    """The supplier registry's evidence, as a screening of the office now would get it (if installed)."""
    try:
        from fairprocure.web.suppliers.evidence import write_csv  # issue 13's registry
    except ImportError:
        return None
    return write_csv(directory / "supplier-evidence.csv")


@transaction.atomic
def rescore(office, pks: list[int], memory: dict | None = None) -> int:
    """Re-classify and re-score the current lines ``pks`` of ``office``; returns how many changed.

    ``memory``: the organisation's supplier memory (:func:`fairprocure.web.review.memory.learn`), if
    already learned."""
    from fairprocure.web.dashboard.stats import refresh_office
    from fairprocure.web.register.ranking import rank_all, refresh_effective
    from fairprocure.web.register.store import lines_stored
    from fairprocure.web.review.services import decisions_for
    from fairprocure.web.review.training import classifier_for

    lines = {
        line.line_id: line
        for line in Line.objects.filter(pk__in=pks, office=office, current=True).exclude(
            classification_status="source"
        )
    }
    if not lines:
        return 0
    decisions = decisions_for(office, memory)
    rows = [_library_line(line) for line in lines.values()]
    table = pa.Table.from_pylist([{c: row.get(c) for c in LINE_COLUMNS} for row in rows], schema=LINE_SCHEMA)
    # The text model is needed only for lines no decision classifies (after a decision is withdrawn).
    undecided = any(decisions.match(r["description"], r["supplier_name"]) is None for r in rows)
    classify = classifier_for(office.organisation) if undecided else _no_text_model
    with tempfile.TemporaryDirectory(prefix="fairprocure-rescore-") as work:
        evidence = _supplier_evidence(Path(work))
        context = Context.build(None, None, (), evidence, decisions)
        backend = get_backend("duckdb")
        try:
            register = run_plan(backend, table, context, classify)
        finally:
            backend.close()
    changed = []
    for row in register.to_pylist():
        line = lines[row["line_id"]]
        before = {name: getattr(line, name) for name in REPLACED}
        leverage = (line.priority / line.risk_score) if line.risk_score else None
        for name in REPLACED:
            value = row[name]
            if value is None and name not in ("category_confidence", "likelihood"):
                value = ""
            limit = _LIMITS.get(name)
            if limit and isinstance(value, str):
                value = value[:limit]
            setattr(line, name, value)
        if leverage is not None:
            line.priority = round(line.risk_score * leverage, 4)
        line.factors = line.factors or "[]"
        if any(getattr(line, n) != before[n] for n in REPLACED):
            changed.append(line)
    if changed:
        Line.objects.bulk_update(changed, REPLACED, batch_size=1000)
        refresh_effective(Line.objects.filter(pk__in=[line.pk for line in changed]))
        rank_all()
        refresh_office(office)
        lines_stored.send(sender=Line, office=office, screening=None)
    return len(changed)


def factor_points(line: Line) -> dict[str, float]:
    """A line's points by factor (for tests and the queue's explanations)."""
    out: dict[str, float] = {}
    for f in orjson.loads(line.factors or "[]"):
        out[f["factor"]] = out.get(f["factor"], 0.0) + float(f["points"])
    return out
