"""The one place the workspace calls the screening library, and the process a screening runs in.

:func:`screen_to_parquet` screens a file into ``WORKDIR/register.parquet``; large inputs are streamed
(``screen(stream=True)``) so memory stays flat whatever the size. :func:`run_in_child` runs it in its
own process (:mod:`.runner`), reporting progress, stopping when asked; :func:`run_here` runs it in the
calling thread (tests, where ``screen_file`` is replaced). No Django in this module.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

Progress = Callable[[float, str], None]
REGISTER = "register.parquet"


class Cancelled(Exception):
    """The job was cancelled while it ran."""


class ScreeningError(Exception):
    """The file could not be screened; the message says why in words (no server paths)."""


@dataclass
class Outcome:
    register: Path  # Parquet, every line
    rows: int
    problems: list[dict]
    quality: dict


OPTIONS = "options.json"  # written into the work folder by the job: what screen() is told besides the file


def write_options(work: Path, options: dict) -> None:
    """The job's options for the screening (``mapping``, ``currency``, ``office_country``,
    ``supplier_evidence``), for the child process."""
    work.mkdir(parents=True, exist_ok=True)
    (work / OPTIONS).write_bytes(orjson.dumps(options, default=str))


def read_options(work: Path) -> dict:
    path = work / OPTIONS
    return orjson.loads(path.read_bytes()) if path.exists() else {}


def screen_file(path: Path, progress: Progress, stream: bool = False, workdir: Path | None = None, **options):
    """Screen one file; return ``(register table or Parquet path, problems, data quality)``.

    ``options``: ``mapping`` (a mapping file's content), ``currency`` and ``office_country`` (each
    ``[value, where it comes from]``), as the job gives them (:func:`write_options`); ``supplier_evidence``,
    the supplier registry's evidence as a ``--supplier-evidence`` CSV (written by the job, which needs
    Django; the screening process only reads it); ``decisions``, the office's classification decisions
    and supplier memory as a ``--decisions`` file, and ``model``, the organisation's retrained text model
    (else the shipped one) — both from the review app (:func:`fairprocure.web.review.inputs.screening_inputs`).
    """
    from fairprocure.ingest.mapping import mapping_from_dict
    from fairprocure.screening import screen

    mapping = (
        mapping_from_dict(options["mapping"], "the office's column mapping")
        if options.get("mapping")
        else None
    )
    defaults = {k: tuple(options[k]) for k in ("currency", "office_country") if options.get(k)}
    evidence = Path(options["supplier_evidence"]) if options.get("supplier_evidence") else None
    decisions = Path(options["decisions"]) if options.get("decisions") else None
    classifier = own_model(options["model"]).predict if options.get("model") else None
    result = screen(
        [path], progress=progress, stream=stream, workdir=workdir, mapping=mapping,
        supplier_evidence=evidence, decisions=decisions, classifier=classifier, **defaults,
    )  # fmt: skip
    register = result.register
    if result.register_path is not None:  # streamed: a factor-set key per line; the store wants the factors
        from fairprocure.report import write_explained

        register = result.register_path.with_name("explained.parquet")
        write_explained(result.register_path, result.factor_sets(), register)
    return register, list(result.problems), dict(result.quality)


def own_model(path: str | Path):
    """An organisation's retrained text model, read once per file version (the last two kept)."""
    return _read_model(str(path), Path(path).stat().st_mtime)


@lru_cache(maxsize=2)
def _read_model(path: str, mtime: float):
    from fairprocure.classify.model import read_model

    return read_model(path)


def screen_to_parquet(source: Path, work: Path, progress: Progress, stream_above: int) -> tuple[list, dict]:
    """Screen ``source`` into ``work/register.parquet``; return problems and data quality (JSON-ready)."""
    work.mkdir(parents=True, exist_ok=True)
    stream = source.stat().st_size > stream_above
    options = read_options(work)
    register, problems, quality = screen_file(
        source, progress, stream=stream, workdir=work / "stage", **options
    )
    target = work / REGISTER
    if isinstance(register, pa.Table):
        pq.write_table(register, target, row_group_size=5000)
    elif Path(register) != target:
        Path(register).replace(target)
    return [_problem(p, source) for p in problems[:1000]], clean_quality(quality, source)


def _problem(problem, source: Path) -> dict:
    fields = ("file", "record", "field", "message", "action")
    if isinstance(problem, dict):
        values = {f: problem.get(f) for f in fields}
    else:
        values = {f: getattr(problem, f, "") for f in fields}
    return {f: without_paths(str(values[f] or ""), source) for f in fields}


def without_paths(text: str, source: Path | None = None) -> str:
    """``text`` with server paths cut to file names: people see "ledger.csv", never where it is kept."""
    if source is not None:
        text = text.replace(str(source), source.name)
    return re.sub(r"(?<![\w.])/(?:[^/\s'\":,;]+/)+([^/\s'\":,;]+)", r"\1", text)


def clean_quality(quality: dict, source: Path) -> dict:
    """The data-quality report as stored for people: file names instead of paths, no problem list."""
    clean = orjson.loads(orjson.dumps(quality, default=str))
    clean.pop("problems", None)  # kept apart, in the screening's problems
    clean["files"] = {
        PurePath(name).name: {
            k: without_paths(str(v), source) if k == "error" else v for k, v in stats.items()
        }
        for name, stats in (clean.get("files") or {}).items()
    }
    for key in ("quarantine_reasons", "data_issues_kept"):
        clean[key] = {without_paths(k, source): v for k, v in (clean.get(key) or {}).items()}
    return clean


def nothing_screened(source_name: str, quality: dict, head: bytes) -> str:
    """Why a file gave no line, in words: what was read and what stopped it."""
    files = quality.get("files") or {}
    stats = next(iter(files.values()), {}) if files else {}
    read = int(quality.get("records_read") or 0)
    if b"\x00" in head[:4096]:
        return f"{source_name} is a binary file, not CSV, XLSX or OCDS JSON: no line could be read."
    if stats.get("format") == "csv" and len([r for r in head.splitlines() if r.strip()]) <= 1:
        return f"{source_name} has a header row but no data rows: there is nothing to screen."
    if read == 0:
        from fairprocure.ingest.ledger import MAPPING_HELP

        error = (stats.get("error") or "no records found").replace(MAPPING_HELP, "").strip()
        error = error.splitlines()[0] if error else "no records found"
        # The library's advice is for the command line (``--mapping``); the page says what was found.
        hint = (
            " Upload the file again to say which column is what in the preview."
            if "nothing in it can be screened" in error
            else ""
        )
        return f"No line could be read from {source_name}: {error.removeprefix(source_name + ': ')}{hint}"
    reasons = quality.get("quarantine_reasons") or {}
    why = "; ".join(f"{reason} ({n})" for reason, n in list(reasons.items())[:3])
    kind = "OCDS releases" if stats.get("format") == "ocds" else "rows"
    return f"None of the {read} records read from {source_name} could be screened as {kind}: {why}."


def run_here(source: Path, work: Path, progress: Progress, stream_above: int) -> Outcome:
    """Screen in this thread (a ``Cancelled`` raised by ``progress`` stops it)."""
    problems, quality = screen_to_parquet(source, work, progress, stream_above)
    return Outcome(work / REGISTER, pq.ParquetFile(work / REGISTER).metadata.num_rows, problems, quality)


def _read_position(pid: int, source: Path) -> float | None:
    """How far the child has read ``source`` (share of its size), from Linux's /proc; None elsewhere."""
    try:
        size = source.stat().st_size
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(source):
                for line in Path(f"/proc/{pid}/fdinfo/{fd}").read_text().splitlines():
                    if line.startswith("pos:"):
                        return min(1.0, int(line.split()[1]) / size) if size else None
    except OSError:
        return None
    return None


_CONTEXT = None
_CONTEXT_LOCK = threading.Lock()
_START_LOCK = threading.Lock()  # one process start at a time: concurrent starts confuse the fork server


def _processes():
    """A fork server that has loaded the library and its reference data once (:mod:`.warm`)."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            context = multiprocessing.get_context("forkserver" if sys.platform == "linux" else "spawn")
            if sys.platform == "linux":
                context.set_forkserver_preload(["fairprocure.web.screenings.warm"])
            _CONTEXT = context
        return _CONTEXT


def start_fork_server() -> None:
    """Start the fork server now, from the calling thread, which must live as long as the process
    (the main thread): the fork server dies with the thread that started it (``PR_SET_PDEATHSIG``).
    It loads the library meanwhile, so the first upload does not wait for it."""
    _processes()
    if sys.platform == "linux":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _job(source: str, work: str, stream_above: int) -> None:
    from fairprocure.web.screenings.runner import run_job

    sys.exit(run_job(source, work, stream_above))


def run_in_child(
    source: Path, work: Path, progress: Progress, stream_above: int, stop: Callable[[], bool]
) -> Outcome:
    """Screen in a child process; report its progress, kill it when ``stop()`` says so."""
    work.mkdir(parents=True, exist_ok=True)
    child = _processes().Process(
        target=_job, args=(str(source), str(work), stream_above), name="fairprocure-screening", daemon=True
    )
    with _START_LOCK:
        child.start()
    try:
        while child.is_alive():
            child.join(0.25)
            if stop():
                child.kill()
                child.join()
                raise Cancelled()
            share, message = _child_progress(work)
            if share <= 0.0:  # still reading the file: how far it got
                position = _read_position(child.pid, source)
                if position is not None:
                    share, message = 0.2 * position, f"reading ({100 * position:.0f} % of the file)"
            progress(share, message)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
    if (work / "error.json").exists():
        message = orjson.loads((work / "error.json").read_bytes())["message"]
        raise ScreeningError(without_paths(message, source))
    if child.exitcode != 0 or not (work / "result.json").exists():
        how = f"signal {-child.exitcode}" if (child.exitcode or 0) < 0 else f"exit status {child.exitcode}"
        raise ScreeningError(f"the screening process stopped ({how}), perhaps out of memory; try again")
    result = orjson.loads((work / "result.json").read_bytes())
    rows = pq.ParquetFile(work / REGISTER).metadata.num_rows
    return Outcome(work / REGISTER, rows, result["problems"], result["quality"])


def _child_progress(work: Path) -> tuple[float, str]:
    try:
        value = orjson.loads((work / "progress.json").read_bytes())
        return float(value["share"]), str(value.get("message", ""))
    except (OSError, ValueError, KeyError):
        return 0.0, "starting"
