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
import pyarrow.parquet as pq

from fairprocure import __version__
from fairprocure.classify.decisions import Decisions
from fairprocure.engine import get_backend
from fairprocure.engine.plan import (
    explained,
    factor_sets_of,
    factor_sets_query,
    plan_register,
    run_plan,
    write_factor_sets,
    write_ranked,
)
from fairprocure.ingest import Mapping, Problem, load_mapping, read_sources
from fairprocure.ingest.detect import detect_format
from fairprocure.portfolio import Portfolio, summarise
from fairprocure.progress import Progress, Step
from fairprocure.reference import tip
from fairprocure.schema import COMPACT_REGISTER_COLUMNS, COMPACT_REGISTER_SCHEMA, FACTOR_SETS_SCHEMA
from fairprocure.score.model import Context
from fairprocure.score.policy import Policy

STREAM_ABOVE_BYTES = (
    64 << 20
)  # inputs above 64 MB are streamed unless stream=False (a 126 MB ledger held in memory peaked at 4.7 GB)
# DuckDB's own budget in a streamed screening (it spills to the workdir above it). At 450 MB, sorting the
# factor sets of 10M lines (about 300 MB of JSON) ran out of memory.
STREAM_MEMORY_LIMIT = "700MB"
READ_SHARE = (
    0.3  # of a streamed run's progress: reading and staging (about a quarter of the time at 10M lines)
)


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
    factor_sets_path: Path | None = None  # streamed: the explanations of the register's factor sets

    def factor_sets(self) -> pa.Table:
        """Each factor set's explanation (``schema.FACTOR_SETS_SCHEMA``): of the whole register."""
        if self.factor_sets_path is not None:
            return pq.read_table(self.factor_sets_path)
        return factor_sets_of(self.register)

    @property
    def quality(self) -> dict[str, Any]:
        return quality_report(self)


def default_classifier(texts: Sequence[str]) -> list:
    """The shipped text classifier, loaded on first use (screenings with codes everywhere never load it)."""
    from fairprocure.classify.model import load_classifier

    return load_classifier().predict(list(texts))


def load_codes(labels: str | Path | None, mapping: str | Path | None):
    """The shipped code mappings with a user's label file and own mapping added."""
    from fairprocure.classify.codes import load_code_labels, load_code_mapping

    maps = load_code_labels(labels) if labels is not None else None
    return load_code_mapping(mapping, maps) if mapping is not None else maps


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
    top: int = 10_000,
    currency: str | tuple[str, str] | None = None,
    office_country: str | tuple[str, str] | None = None,
    code_labels: str | Path | None = None,
    code_mapping: str | Path | None = None,
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
    assumption is said on every line it fills. ``code_labels``/``code_mapping``: your licensed code
    labels and your own code-to-category mapping (see :mod:`fairprocure.classify.codes`).
    """
    report = progress or (lambda fraction, message: None)
    context = Context.build(policy, tip_tiers, tuple(indicators), supplier_evidence, decisions)
    if code_labels is not None or code_mapping is not None:
        context.codes = load_codes(code_labels, code_mapping)
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
    report(0.0, Step("reading", 0, 0.0))
    files = [str(p) for p in paths]
    read = [0, 0]  # records, files

    def reading(records: int) -> None:
        read[0] += records
        read[1] += 1
        report(0.2 * read[1] / max(len(files), 1), Step("reading", read[0], read[1] / max(len(files), 1)))

    ingested = read_sources(files, mapping=mapping, progress=reading)
    timings["ingest_s"] = time.perf_counter() - start
    rows = ingested.lines.num_rows

    start = time.perf_counter()
    backend = get_backend(engine)
    try:
        classify = classifier or default_classifier
        timings["classifier_load_s"] = time.perf_counter() - start
        start = time.perf_counter()

        def plan_progress(fraction: float, message: str) -> None:
            report(0.2 + 0.7 * fraction, Step(message, rows))

        register = run_plan(backend, ingested.lines, context, classify, plan_progress)
        timings["classify_and_score_s"] = time.perf_counter() - start
        start = time.perf_counter()
        report(0.92, Step("summarising the portfolio", rows))
        portfolio = summarise(backend, register)
        timings["portfolio_s"] = time.perf_counter() - start
    finally:
        backend.close()
    report(1.0, Step("done", rows, 1.0))
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


def screen_staged(
    lines: str | Path,
    *,
    policy: Policy | str | Path | None = None,
    engine: str = "duckdb",
    tip_tiers: str | Path | None = None,
    indicators: Sequence[str | Path] = (),
    supplier_evidence: str | Path | None = None,
    decisions: str | Path | Decisions | None = None,
    classifier: Callable[[Sequence[str]], list] | None = None,
    progress: Progress | None = None,
    workdir: str | Path | None = None,
    top: int = 10_000,
) -> Screening:
    """Screen lines already staged as Parquet: a file or a directory of ``*.parquet`` files with the
    columns of :data:`fairprocure.schema.LINE_SCHEMA` (``stage_sources`` writes them; so can any tool).

    The same streamed plan as ``screen(..., stream=True)`` without reading sources: what a cluster job
    runs (:mod:`fairprocure.engine.spark_submit`). With Spark, ``lines`` and ``workdir`` must be on a
    file system every executor reads.
    """
    import pyarrow.dataset as ds

    from fairprocure.ingest.stream import Staged
    from fairprocure.schema import LINE_SCHEMA

    dataset = ds.dataset(str(lines), format="parquet")
    missing = [name for name in LINE_SCHEMA.names if name not in dataset.schema.names]
    if missing:
        raise ValueError(f"{lines}: not staged lines; missing columns {', '.join(missing)}")
    rows = dataset.count_rows()
    stats = {"format": "parquet (staged lines)", "records_read": rows, "lines": rows, "quarantined": 0}
    staged = Staged(Path(lines), stats={str(lines): stats}, lines=rows)
    context = Context.build(policy, tip_tiers, tuple(indicators), supplier_evidence, decisions)
    report = progress or (lambda fraction, message: None)
    return _screen_streamed([], None, engine, context, classifier, report, workdir, top, staged)


def _screen_streamed(
    paths, mapping, engine, context, classifier, report, workdir, top, staged=None
) -> Screening:
    from fairprocure.ingest.stream import stage_sources

    owned = workdir is None
    work = Path(tempfile.mkdtemp(prefix="fairprocure-")) if owned else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    report(0.0, Step("reading", 0, 0.0))

    def reading(records: int, share: float) -> None:
        report(READ_SHARE * share, Step("reading", records, share))

    if staged is None:
        staged = stage_sources([str(p) for p in paths], work, mapping=mapping, progress=reading)
    timings["ingest_s"] = time.perf_counter() - start
    rows = staged.lines
    start = time.perf_counter()
    _hand_back_memory()  # ingest's buffers, before the engine starts
    spill = {"temp_directory": str(work / "spill"), "memory_limit": STREAM_MEMORY_LIMIT}
    options = spill if engine == "duckdb" else {}
    backend = get_backend(engine, **options)
    register_path = work / "register.parquet"
    sets_path = work / "factor_sets.parquet"
    try:
        classify = classifier or default_classifier
        timings["classifier_load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        backend.load_parquet("lines", staged.path)

        def planning(fraction: float, message: str) -> None:
            report(READ_SHARE + 0.15 * fraction, Step(message, rows))

        query = plan_register(backend, context, classify, planning, ranked=False)
        if classifier is None:
            _unload_classifier()  # its ~400 MB are not needed again: the engine's query can have them
        report(READ_SHARE + 0.15, Step("scoring every line", rows))  # one engine query: no finer steps
        backend.write_parquet(query, work / "unranked.parquet", temporary=True)
        # the factor sets need only the parts' explanations; DuckDB hands back what the query kept
        backend.reset(keep=[f"{p}_said" for p in getattr(backend, "parts", [])])
        report(0.83, Step("explaining each factor set once", rows))
        backend.load_parquet("unranked", work / "unranked.parquet")
        keys = backend.fetch("SELECT DISTINCT factor_set FROM unranked").column("factor_set").to_pylist()
        if backend.name == "duckdb":  # sorted in chunks; never all the sets' JSON in memory at once
            write_factor_sets(backend, keys, sets_path)
        else:  # a directory of part files written by the cluster
            backend.write_parquet(factor_sets_query(backend, keys), sets_path)
        del keys
        backend.reset()
        _hand_back_memory()  # and Arrow what the plan's tables held (126 MB at 10M lines)
        report(0.85, Step("ranking", rows))
        head = write_ranked(backend, work / "unranked.parquet", register_path, top)
        _remove(work / "unranked.parquet")
        _hand_back_memory()  # the rewrite's buffers
        timings["classify_and_score_s"] = time.perf_counter() - start
        start = time.perf_counter()
        report(0.92, Step("summarising the portfolio", rows))
        backend.load_parquet("register", register_path)
        backend.load_parquet("factor_sets", sets_path)
        portfolio = summarise(backend, explain_from="factor_sets")
        timings["portfolio_s"] = time.perf_counter() - start
    finally:
        backend.close()
    _hand_back_memory()
    report(1.0, Step("done", rows, 1.0))
    register = explained(
        head.select(COMPACT_REGISTER_COLUMNS).cast(COMPACT_REGISTER_SCHEMA), _factor_sets_for(head, sets_path)
    )
    result = Screening(
        register, staged.problems, staged.stats, portfolio, context, timings, engine, register_path, sets_path
    )
    if owned:
        weakref.finalize(result, shutil.rmtree, work, ignore_errors=True)
    return result


def _factor_sets_for(register: pa.Table, sets_path: Path) -> pa.Table:
    """The factor sets of ``register``'s lines, read from the factor-set file (or directory of parts)."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    keys = pc.unique(register["factor_set"]).drop_null()
    sets = ds.dataset(str(sets_path), format="parquet").to_table(
        filter=pc.field("factor_set").isin(keys),
        use_threads=False,  # one row group of JSON at a time
    )
    return sets.select(FACTOR_SETS_SCHEMA.names).cast(FACTOR_SETS_SCHEMA)


def _unload_classifier() -> None:
    """Let the shipped text model go (a streamed screening is done with it after the plan's first steps)."""
    from fairprocure.classify.model import load_classifier

    load_classifier.cache_clear()
    _hand_back_memory()


def _hand_back_memory() -> None:
    """Return freed memory to the system: Arrow's pool keeps what it freed for reuse, and so does glibc's
    heap until asked (at 10M lines, Arrow's pool alone gave back 126 MB after the plan)."""
    import contextlib
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    pa.default_memory_pool().release_unused()
    # elsewhere (macOS, musl) there is no malloc_trim and the memory is reused by the process instead
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _remove(path: Path) -> None:
    """Delete a Parquet file, or a directory of part files (Spark's)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


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
