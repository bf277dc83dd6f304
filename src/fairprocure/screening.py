"""Screen procurement data: the one call behind ``fairprocure screen``, the web app and the API.

``screen(paths)`` reads the files (:mod:`fairprocure.ingest`), classifies and scores every line on
an engine (:mod:`fairprocure.engine.plan`), and summarises the portfolio
(:mod:`fairprocure.portfolio`). Writing the outputs is :mod:`fairprocure.report`'s job.

Large inputs are *streamed* (``stream=True``, automatic above ``STREAM_ABOVE_BYTES``): the lines are
staged to Parquet in bounded memory (:mod:`fairprocure.ingest.stream`), the engine writes the
register straight to Parquet (``Screening.register_path``) and ``Screening.register`` holds only its
first ``top`` rows by priority. Nothing proportional to the input is then held in Python.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from fairprocure import __version__
from fairprocure.classify.decisions import Decisions
from fairprocure.engine import get_backend
from fairprocure.engine.plan import plan_register, run_plan, write_ranked
from fairprocure.ingest import Mapping, Problem, load_mapping, read_sources
from fairprocure.ingest.detect import detect_format
from fairprocure.portfolio import Portfolio, summarise
from fairprocure.reference import tip
from fairprocure.schema import REGISTER_SCHEMA
from fairprocure.score.model import Context
from fairprocure.score.policy import Policy

Progress = Callable[[float, str], None]
STREAM_ABOVE_BYTES = (
    64 << 20
)  # inputs above 64 MB are streamed unless stream=False (a 126 MB ledger held in memory peaked at 4.7 GB)


@dataclass
class Screening:
    """The result of one screening: the register, what could not be screened, and the portfolio view."""

    register: pa.Table
    problems: list[Problem]
    stats: dict[str, dict[str, Any]]
    portfolio: Portfolio
    context: Context
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = "duckdb"
    register_path: Path | None = None  # streamed: the whole register as Parquet; ``register`` is its top rows

    @property
    def quality(self) -> dict[str, Any]:
        return quality_report(self)


def default_classifier(texts: Sequence[str]) -> list:
    """The shipped text classifier, loaded on first use (screenings with codes everywhere never load it)."""
    from fairprocure.classify.model import load_classifier

    return load_classifier().predict(list(texts))


def screen(
    paths: Sequence[str | Path],
    *,
    policy: Policy | str | Path | None = None,
    mapping: Mapping | str | Path | None = None,
    engine: str = "duckdb",
    tip_tiers: str | Path | None = None,
    indicators: Sequence[str | Path] = (),
    supplier_evidence: str | Path | None = None,
    decisions: str | Path | Decisions | None = None,
    classifier: Callable[[Sequence[str]], list] | None = None,
    progress: Progress | None = None,
    stream: bool | None = None,
    workdir: str | Path | None = None,
    top: int = 100_000,
    currency: str | tuple[str, str] | None = None,
    office_country: str | tuple[str, str] | None = None,
) -> Screening:
    """Read, classify and score ``paths``; see :class:`Screening`.

    ``stream``: stage to Parquet and keep memory flat (None: when the input exceeds
    ``STREAM_ABOVE_BYTES``); ``workdir``: where staged files go (default: a temporary directory,
    removed with the Screening); ``top``: rows of a streamed register kept in memory; ``decisions``:
    people's classification decisions (:mod:`fairprocure.classify.decisions`), applied to lines without
    a source code.
    ``currency``: the currency assumed for amounts whose currency the data do not give;
    ``office_country``: the place of performance where the data give none (the office's country).
    Either may be ``(value, where it comes from)`` — ``"--currency"``, ``"--office-country"``,
    ``"office"`` (the web office's settings) or ``"default"`` — e.g. ``("GBP", "--currency")``; the
    assumption is said on every line it fills.
    """
    report = progress or (lambda fraction, message: None)
    context = Context.build(policy, tip_tiers, tuple(indicators), supplier_evidence, decisions)
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    if currency or office_country:
        mapping = with_defaults(mapping or Mapping(), currency, office_country)
    if stream is None:
        stream = _input_bytes(paths) > STREAM_ABOVE_BYTES
    if stream:
        return _screen_streamed(paths, mapping, engine, context, classifier, report, workdir, top)
    timings: dict[str, float] = {}

    start = time.perf_counter()
    report(0.0, "reading")
    ingested = read_sources([str(p) for p in paths], mapping=mapping)
    timings["ingest_s"] = time.perf_counter() - start

    start = time.perf_counter()
    backend = get_backend(engine)
    try:
        classify = classifier or default_classifier
        timings["classifier_load_s"] = time.perf_counter() - start
        start = time.perf_counter()

        def plan_progress(fraction: float, message: str) -> None:
            report(0.2 + 0.7 * fraction, message)

        register = run_plan(backend, ingested.lines, context, classify, plan_progress)
        timings["classify_and_score_s"] = time.perf_counter() - start
        start = time.perf_counter()
        report(0.92, "summarising the portfolio")
        portfolio = summarise(backend, register)
        timings["portfolio_s"] = time.perf_counter() - start
    finally:
        backend.close()
    report(1.0, "done")
    return Screening(
        register, list(ingested.problems), dict(ingested.stats), portfolio, context, timings, engine
    )


def with_defaults(
    mapping: Mapping, currency: str | tuple[str, str] | None, office_country: str | tuple[str, str] | None
) -> Mapping:
    """The mapping with the run's assumed currency and office country, checked (ValueError if unknown)."""
    import dataclasses

    from fairprocure.reference.countries import to_iso3
    from fairprocure.reference.currency import is_currency

    changes = {}
    if currency:
        code, source = (currency, "default") if isinstance(currency, str) else currency
        code = code.strip().upper()
        if not is_currency(code):
            raise ValueError(
                f"unknown currency {code!r} ({source}): give an ISO 4217 code such as EUR or GBP"
            )
        changes["assumed_currency"] = (code, source)
    if office_country:
        name, source = (office_country, "default") if isinstance(office_country, str) else office_country
        iso3 = to_iso3(name)
        if iso3 is None:
            raise ValueError(f"unknown country {name!r} ({source}): give a name or an ISO code such as AUT")
        changes["office_country"] = (iso3, source)
    return dataclasses.replace(mapping, **changes)


def _input_bytes(paths: Sequence[str | Path]) -> int:
    total = 0
    for given in paths:
        path = Path(given)
        files = (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if f.exists() and detect_format(f) is not None)
    return total


def _screen_streamed(paths, mapping, engine, context, classifier, report, workdir, top) -> Screening:
    from fairprocure.ingest.stream import stage_sources

    owned = workdir is None
    work = Path(tempfile.mkdtemp(prefix="fairprocure-")) if owned else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    report(0.0, "reading")
    staged = stage_sources([str(p) for p in paths], work, mapping=mapping)
    timings["ingest_s"] = time.perf_counter() - start
    start = time.perf_counter()
    pa.default_memory_pool().release_unused()  # hand ingest's buffers back before the engine starts
    options = {"temp_directory": str(work / "spill"), "memory_limit": "700MB"} if engine == "duckdb" else {}
    backend = get_backend(engine, **options)
    register_path = work / "register.parquet"
    try:
        classify = classifier or default_classifier
        timings["classifier_load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        backend.load_parquet("lines", staged.path)
        query = plan_register(backend, context, classify, lambda f, m: report(0.2 + 0.7 * f, m), ranked=False)
        backend.write_parquet(query, work / "unranked.parquet")
        report(0.88, "ranking")
        write_ranked(backend, work / "unranked.parquet", register_path)
        timings["classify_and_score_s"] = time.perf_counter() - start
        start = time.perf_counter()
        report(0.92, "summarising the portfolio")
        backend.load_parquet("register", register_path)
        portfolio = summarise(backend)
        head = backend.fetch(f"SELECT * FROM register WHERE priority_rank <= {int(top)}")  # no sort needed
        timings["portfolio_s"] = time.perf_counter() - start
    finally:
        backend.close()
    pa.default_memory_pool().release_unused()
    report(1.0, "done")
    register = head.select(REGISTER_SCHEMA.names).cast(REGISTER_SCHEMA).sort_by("priority_rank")
    result = Screening(
        register, staged.problems, staged.stats, portfolio, context, timings, engine, register_path
    )
    if owned:
        weakref.finalize(result, shutil.rmtree, work, ignore_errors=True)
    return result


def _reason(problem: Problem) -> str:
    """Group problems by what went wrong, not by their values: the first clause of the message."""
    field_name = f"{problem.field}: " if problem.field else ""
    message = problem.message.removeprefix(f"{problem.file}: ")  # whole-file errors name their file first
    return field_name + message.split(":")[0].split(";")[0].split("\n")[0][:100]


def quality_report(s: Screening, max_problems: int = 2000) -> dict[str, Any]:
    """What was read, screened and quarantined, and why: written as ``quality.json``."""
    totals = s.portfolio.totals
    quarantined = [p for p in s.problems if p.action == "quarantined"]
    kept = [p for p in s.problems if p.action != "quarantined"]
    spend = totals["spend_eur"] or 0.0
    tiers_year = max((t.year for t in s.context.tiers.values()), default=None)
    notes = []
    if tiers_year is not None and tiers_year <= tip.shipped_tiers_last_year():
        notes.append(
            f"TIP tiers are those of the {tiers_year} report, the last in the shipped series; "
            "load newer placements with --tip-tiers FILE."
        )
    return {
        "fairprocure_version": __version__,
        "engine": s.engine,
        "policy": s.context.policy.source,
        "files": s.stats,
        "records_read": sum(int(v.get("records_read", 0)) for v in s.stats.values()),
        "lines_screened": totals["lines"],
        "records_quarantined": len(quarantined),
        "quarantine_reasons": dict(Counter(_reason(p) for p in quarantined).most_common()),
        "data_issues_kept": dict(Counter(_reason(p) for p in kept).most_common()),
        "coverage": {
            "spend_eur": spend,
            "lines_with_value": totals["lines_with_value"],
            "lines_with_source_code": totals["lines_with_source_code"],
            "lines_classified_from_text": totals["lines_classified_from_text"],
            "lines_decided": totals["lines_decided"] or 0,
            "lines_needing_review": totals["lines_needing_review"] or 0,
            "share_of_spend_needing_review": (totals["spend_needing_review_eur"] / spend) if spend else None,
            "share_of_spend_classified": (totals["spend_classified_eur"] / spend) if spend else None,
            "share_of_spend_with_known_origin": (totals["spend_known_origin_eur"] / spend) if spend else None,
        },
        "notes": notes,
        "timings_s": {k: round(v, 3) for k, v in s.timings.items()},
        "problems": [
            {"file": p.file, "record": p.record, "field": p.field, "message": p.message, "action": p.action}
            for p in (quarantined + kept)[:max_problems]
        ],
        "problems_truncated": max(0, len(s.problems) - max_problems),
    }
