"""Building blocks for the web tests: offices, users per role, and a small register table to screen.

The register rows follow ``fairprocure.schema.REGISTER_SCHEMA``; their factor points add up to the
score, as the screening library guarantees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from fairprocure.schema import REGISTER_COLUMNS, REGISTER_SCHEMA
from fairprocure.web.accounts.services import add_user
from fairprocure.web.offices.services import add_office

PASSWORD = "correct horse battery staple"


def office(code: str, country: str = "ARM"):
    return add_office(code, f"Office {code}", country, actor="test")


def user(name: str, role: str, office_code: str | None = None, all_offices: bool = False):
    return add_user(name, role, PASSWORD, office_code, all_offices, actor="test")


def register_table(n: int, prefix: str = "L", high_every: int = 3) -> pa.Table:
    """``n`` register lines; every ``high_every``-th is high risk (score 70), the others low (score 20)."""
    rows = []
    for i in range(n):
        high = i % high_every == 0
        factors = [
            {
                "factor": "category",
                "points": 40.0 if high else 15.0,
                "evidence": "garments",
                "source": "taxonomy",
            },
            {
                "factor": "origin",
                "points": 30.0 if high else 5.0,
                "evidence": "BGD",
                "source": "ILAB TVPRA 2022",
            },
        ]
        rows.append(
            {
                "line_id": f"{prefix}{i}",
                "office": "HQ",
                "contract_id": f"C-{prefix}{i}",
                "description": f"cotton uniforms batch {i}" if high else f"office paper {i}",
                "supplier_name": f"Supplier {i % 7}",
                "supplier_country": "BGD",
                "origin_country": "BGD" if high else None,
                "delivery_country": "ARM",
                "cpv": "18100000" if high else "30197600",
                "cpv_source": "source",
                "category": "garments_textiles" if high else "office_supplies",
                "category_label": "Garments and textiles" if high else "Office supplies",
                "category_confidence": 1.0,
                "classification_evidence": "CPV given by the source",
                "value": 1000.0 * (i + 1),
                "currency": "EUR",
                "value_eur": 1000.0 * (i + 1),
                "date": None,
                "risk_score": sum(f["points"] for f in factors),
                "risk_level": "high" if high else "low",
                "likelihood": 85.0 if high else 10.0,
                "severity": "forced_labour" if high else "none-known",
                "priority": float(n - i),
                "priority_rank": i + 1,
                "factors": json.dumps(factors),
                "source_file": "ledger.csv",
                "source_record": f"row {i + 2}",
                "data_issues": None,
            }
        )
    return pa.Table.from_pylist(rows, schema=REGISTER_SCHEMA).select(REGISTER_COLUMNS)


def fake_engine(monkeypatch, table: pa.Table, quality: dict | None = None) -> list:
    """Make the screening job return ``table``; returns the list of paths it was asked to screen."""
    from fairprocure.web.screenings import engine

    calls: list = []

    def screen_file(path, progress, **options):
        calls.append(path)
        progress(0.5, "scoring")
        return table, [], quality or {"read": table.num_rows}

    monkeypatch.setattr(engine, "screen_file", screen_file)
    return calls


def stub_classifier(texts):
    """Every free text is cleaning services, confidently: tests about lines, not classification."""
    from fairprocure.classify.model import NEAREST, TextPrediction

    said = NEAREST(cpv="90910000", label="Cleaning services", similarity=0.9, terms=["cleaning"])
    return [TextPrediction("90910000", "cleaning", 0.9, said) for _ in texts]


def library_engine(monkeypatch) -> None:
    """Screen uploads with the real library (ingest, identity, scoring), the text model stubbed."""
    from fairprocure.screening import screen
    from fairprocure.web.screenings import engine

    def screen_file(path, progress, stream=False, workdir=None, **options):
        from fairprocure.ingest.mapping import mapping_from_dict

        mapping = mapping_from_dict(options["mapping"]) if options.get("mapping") else None
        defaults = {k: tuple(options[k]) for k in ("currency", "office_country") if options.get(k)}
        evidence = options.get("supplier_evidence")
        result = screen(
            [path],
            classifier=stub_classifier,
            stream=stream,
            workdir=workdir,
            progress=progress,
            mapping=mapping,
            supplier_evidence=Path(evidence) if evidence else None,
            decisions=options.get("decisions"),
            **defaults,
        )
        register = result.register
        if result.register_path is not None:  # as engine.screen_file: the store wants the factors
            from fairprocure.report import write_explained

            register = result.register_path.with_name("explained.parquet")
            write_explained(result.register_path, result.factor_sets(), register)
        return register, list(result.problems), dict(result.quality)

    monkeypatch.setattr(engine, "screen_file", screen_file)


def screen_into(office_obj, table: pa.Table, monkeypatch, name: str = "ledger.csv", actor: str = "test"):
    """Upload a file for ``office_obj`` and run its job with ``table`` as the screening result."""
    import io

    from fairprocure.web.screenings.jobs import run_pending
    from fairprocure.web.screenings.uploads import accept

    fake_engine(monkeypatch, table)
    screening, _ = accept(
        io.BytesIO(f"{office_obj.code},{name},{table.num_rows}".encode()), name, office_obj, actor
    )
    run_pending()
    screening.refresh_from_db()
    return screening
