"""The job runner: screenings are jobs in the database, run by worker threads, each job in its own process.

- **Fair**: ``FAIRPROCURE_WORKERS`` threads (default 2) claim jobs; a free worker takes the oldest
  queued job of the office with the fewest jobs running, and one office runs at most all workers but
  one at once, so one office's large uploads never hold up another office's small one.
- **In its own process** (:func:`engine.run_in_child`): large inputs are streamed, memory goes back
  to the system when the job ends, cancel kills the process.
- **Atomic**: the lines are written as versions nobody sees; bringing them into the register, the
  office's figures and the step to ``done`` are one transaction; before it commits nothing of the
  screening is visible, and a server killed at any moment leaves no half.
- **Survives restarts**: a job left ``running`` by a stopped server is queued again when a worker
  starts (its upload is kept), at most ``MAX_ATTEMPTS`` times; then it fails saying why.
- **Says why**: a file that gives no line fails with the reason in words, without server paths.

A step before queueing (issue 8's column-mapping preview): ``uploads.accept(..., queue=False)``
stores the upload as a ``held`` screening that no worker takes; :func:`release` queues it once a person
has confirmed. Workers only ever claim ``queued`` jobs.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from fairprocure.web.audit.log import record
from fairprocure.web.dashboard.stats import office_totals, refresh_office
from fairprocure.web.register.current import bring_in
from fairprocure.web.register.models import Line
from fairprocure.web.register.store import store_register
from fairprocure.web.review.inputs import screening_inputs
from fairprocure.web.screenings import engine
from fairprocure.web.screenings.models import Screening

log = logging.getLogger("fairprocure.web.jobs")
Status = Screening.Status
MAX_ATTEMPTS = 3
STORE_BATCH = 5000
_LIVE: dict[int, tuple[float, str]] = {}  # running jobs of this process: (share, what it does now)
_STOP = threading.Event()


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def live_progress(screening: Screening) -> tuple[float, str]:
    """The job's progress: live from this process while it runs here, else as last stored."""
    if screening.status == Status.RUNNING and screening.pk in _LIVE:
        return _LIVE[screening.pk]
    return screening.progress, screening.message if screening.active else ""


def per_office_limit() -> int:
    """Jobs one office may run at once: all workers but one, so another office always finds one free."""
    return max(1, settings.SCREENING_WORKERS - 1)


def _claim(only: int | None = None) -> Screening | None:
    """Claim a queued job: the oldest of the office with the fewest jobs running (or job ``only``).

    An office already running :func:`per_office_limit` jobs waits, whatever it has queued.
    """
    queued = Screening.objects.filter(status=Status.QUEUED)
    if only is not None:
        queued = queued.filter(pk=only)
    candidates = list(queued.order_by("created", "pk").values_list("pk", "office_id")[:200])
    if not candidates:
        return None
    running = Counter(Screening.objects.filter(status=Status.RUNNING).values_list("office_id", flat=True))
    order = sorted(range(len(candidates)), key=lambda i: (running[candidates[i][1]], i))
    if only is None:
        order = [i for i in order if running[candidates[i][1]] < per_office_limit()]
    for i in order:
        pk = candidates[i][0]
        claimed = Screening.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.RUNNING,
            started=timezone.now(),
            progress=0,
            message="starting",
            worker=_me(),
            attempts=F("attempts") + 1,
        )
        if claimed:
            return Screening.objects.select_related("office").get(pk=pk)
    return None


class _Reporter:
    """Progress of one job: live in memory, in the database at most every second (best effort)."""

    def __init__(self, screening: Screening) -> None:
        self.pk = screening.pk
        self.last = 0.0
        self.cancel_checked = 0.0
        self.cancelled = False

    def __call__(self, share: float, message: str = "") -> None:
        share = max(0.0, min(float(share), 1.0))
        _LIVE[self.pk] = (share, message[:200])
        now = time.monotonic()
        if now - self.last >= 1.0:
            self.last = now
            # Best effort: while another job commits on SQLite, the live figure serves this process.
            with contextlib.suppress(DatabaseError):
                Screening.objects.filter(pk=self.pk, status=Status.RUNNING).update(
                    progress=round(share, 3), message=message[:500]
                )

    def stop(self) -> bool:
        """Has someone asked to cancel (checked in the database at most twice a second)?"""
        now = time.monotonic()
        if not self.cancelled and now - self.cancel_checked >= 0.5:
            self.cancel_checked = now
            with contextlib.suppress(DatabaseError):
                self.cancelled = Screening.objects.filter(pk=self.pk, cancel_requested=True).exists()
        return self.cancelled


def _workdir(screening: Screening) -> Path:
    return settings.HOME / "work" / str(screening.pk)


def run(screening: Screening) -> None:
    """Screen the file, then store its lines and figures atomically; record failure with its reason."""
    report = _Reporter(screening)
    work = _workdir(screening)
    shutil.rmtree(work, ignore_errors=True)  # what an interrupted run left
    source = Path(screening.stored_path)
    try:
        if not source.exists():
            raise engine.ScreeningError(
                f"the uploaded file {screening.file_name} is missing; upload it again"
            )

        def screening_progress(share: float, message: str = "") -> None:
            if report.stop():
                raise engine.Cancelled()
            report(0.85 * share, message)

        from fairprocure.web.screenings.preview import job_options

        # The office's mapping, currency and country; the registry's evidence; the office's classification
        # decisions and supplier memory and the organisation's own text model (Django is here, not in the child)
        options = job_options(screening) | _registry_evidence(work) | screening_inputs(screening.office, work)
        engine.write_options(work, options)
        stream_above = settings.STREAM_ABOVE_MB * 1024 * 1024
        if settings.SCREENINGS_IN_CHILD:
            outcome = engine.run_in_child(source, work, screening_progress, stream_above, report.stop)
        else:
            outcome = engine.run_here(source, work, screening_progress, stream_above)
        if outcome.rows == 0:
            with source.open("rb") as f:
                head = f.read(65536)
            raise engine.ScreeningError(engine.nothing_screened(screening.file_name, outcome.quality, head))
        _store(screening, outcome, report)
        _warm_dashboard(screening)
    except engine.Cancelled:
        by = Screening.objects.filter(pk=screening.pk).values_list("cancelled_by", flat=True).first()
        _finish(screening, Status.CANCELLED, f"cancelled by {by}" if by else "cancelled")
    except engine.ScreeningError as exc:
        log.info("screening %s failed: %s", screening.pk, exc)
        _finish(screening, Status.FAILED, str(exc))
    except Exception as exc:
        log.exception("screening %s failed", screening.pk)
        reason = engine.without_paths(f"{exc}", source) or type(exc).__name__
        _finish(screening, Status.FAILED, f"the screening stopped on an error: {reason}")
    finally:
        _LIVE.pop(screening.pk, None)
        shutil.rmtree(work, ignore_errors=True)
    if Screening.objects.filter(pk=screening.pk).exclude(status=Status.DONE).exists():
        _discard(screening)


def _warm_dashboard(screening: Screening) -> None:
    """The dashboard's figures computed now for every scope and language (dashboard/views.py), so that
    the first readers after this screening find them kept; a failure here is logged, not the job's."""
    if not settings.DASHBOARD_WARM:
        return
    from fairprocure.web.dashboard.views import warm

    try:
        warm()
    except Exception:
        log.exception("dashboard figures not computed after screening %s", screening.pk)


def _finish(screening: Screening, status: str, message: str) -> None:
    Screening.objects.filter(pk=screening.pk).update(
        status=status, finished=timezone.now(), message=message[:2000], cancel_requested=False
    )


def _store(screening: Screening, outcome: engine.Outcome, report: _Reporter) -> None:
    """Write the lines, then switch them in with the figures and ``done`` in one transaction.

    The batches are written in short transactions of their own (on SQLite other jobs and people write
    in between) as versions that are not current: nobody sees them. One transaction then brings them
    into the register (``bring_in``), refreshes the office's figures and marks the screening done: all
    of it is visible, or none. A run that stops before leaves invisible rows, removed by
    :func:`_discard` (or kept and skipped by the next run: ``store_register`` is idempotent).
    """
    report(0.85, "storing lines")
    parquet = pq.ParquetFile(outcome.register)
    written = 0
    for batch in parquet.iter_batches(batch_size=STORE_BATCH):
        if report.stop():
            raise engine.Cancelled()
        with transaction.atomic():
            written += store_register(batch, screening.office, screening)
        report(0.85 + 0.12 * written / max(outcome.rows, 1), "storing lines")
    report(0.97, "bringing the lines into the register")
    with transaction.atomic():
        bring_in(screening)  # period, ranks, current versions, decisions carried over, contracts
        refresh_office(screening.office)
        updated = Screening.objects.filter(
            pk=screening.pk, status=Status.RUNNING, cancel_requested=False
        ).update(
            status=Status.DONE,
            progress=1.0,
            finished=timezone.now(),
            line_count=written,
            message="",
            quality=outcome.quality,
            problems=outcome.problems,
            summary=office_totals(screening.office),
        )
        if not updated:  # cancelled (or requeued by another process) meanwhile: keep nothing
            raise engine.Cancelled()


def _registry_evidence(work: Path) -> dict:
    """The supplier registry's evidence (questionnaires, statuses, expired documents) for this screening."""
    from fairprocure.web.suppliers.evidence import write_csv

    path = write_csv(work / "supplier-evidence.csv")
    return {"supplier_evidence": str(path)} if path else {}


def _discard(screening: Screening) -> None:
    """Remove the rows a run that did not complete wrote (never shown: the screening was not brought in)."""
    with contextlib.suppress(DatabaseError):
        Line.objects.filter(screening=screening, screening__stored=False).delete()


def run_pending(only: int | None = None) -> int:
    """Run queued jobs now, in this thread (job ``only``, or all of them); returns how many ran."""
    done = 0
    while (screening := _claim(only)) is not None:
        run(screening)
        done += 1
        if only is not None:
            break
    return done


def _alive(worker: str) -> bool:
    """Is the process that claimed a job still running (on this host; others are assumed stopped)?"""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_interrupted() -> int:
    """Queue again the jobs a stopped process left running; fail those interrupted ``MAX_ATTEMPTS`` times."""
    requeued = 0
    for job in Screening.objects.filter(status=Status.RUNNING).only("pk", "worker", "attempts"):
        if _alive(job.worker):
            continue
        if job.attempts >= MAX_ATTEMPTS:
            Screening.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.FAILED,
                finished=timezone.now(),
                message=f"the server stopped during this screening {job.attempts} times; "
                "it was not tried again. Upload the file again to retry, or split it.",
            )
            _discard(job)
        else:
            requeued += Screening.objects.filter(pk=job.pk, status=Status.RUNNING).update(
                status=Status.QUEUED, progress=0, message="interrupted by a server stop; queued again"
            )
    return requeued


def cancel(screening: Screening, actor) -> bool:
    """Cancel a held, queued or running job (a running one stops within a second); False if it had ended."""
    name = getattr(actor, "username", str(actor))
    waiting = Screening.objects.filter(pk=screening.pk, status__in=[Status.HELD, Status.QUEUED]).update(
        status=Status.CANCELLED, finished=timezone.now(), message=f"cancelled by {name}", cancelled_by=name
    )
    running = waiting or Screening.objects.filter(pk=screening.pk, status=Status.RUNNING).update(
        cancel_requested=True, cancelled_by=name
    )
    if not running:
        return False
    record(
        actor,
        "screening.cancelled",
        office=screening.office,
        target=screening.file_name,
        details={"screening": screening.pk},
    )
    return True


def release(screening: Screening) -> bool:
    """Queue a ``held`` screening (after a person confirmed its preview); False if it was not held."""
    return bool(Screening.objects.filter(pk=screening.pk, status=Status.HELD).update(status=Status.QUEUED))


# What the worker threads import on first use, imported before they start: two threads importing a
# package and its modules at once can be handed a half-imported module (after a restart with queued jobs:
# "cannot import name 'Locale' from partially initialized module 'babel.core'", tests/web/test_fault.py).
FIRST_USE_IMPORTS = (
    "babel.core",
    "babel.numbers",
    "fairprocure.web.screenings.preview",
    "fairprocure.web.register.exports",
)


def start_workers(count: int | None = None, poll_seconds: float = 1.0) -> list[threading.Thread]:
    """Start the worker threads of this server process (``FAIRPROCURE_WORKERS``, default 2).

    Call it from the main thread (``serve`` does): the screening processes' fork server starts here.
    """
    requeue_interrupted()
    count = count or settings.SCREENING_WORKERS
    if settings.SCREENINGS_IN_CHILD:
        engine.start_fork_server()  # from this (the main) thread: see its docstring
    for name in FIRST_USE_IMPORTS:
        importlib.import_module(name)

    def loop() -> None:
        while not _STOP.is_set():
            try:
                close_old_connections()
                screening = _claim()
                if screening is None:
                    _STOP.wait(poll_seconds)
                else:
                    run(screening)
            except Exception:  # keep the worker alive whatever a job does
                log.exception("job worker error")
                _STOP.wait(poll_seconds)

    def exports_loop() -> None:  # large register exports (register/exports.py), one at a time
        from fairprocure.web.register.exports import expire, run_pending

        while not _STOP.is_set():
            try:
                close_old_connections()
                expire()
                if not run_pending():
                    _STOP.wait(poll_seconds)
            except Exception:
                log.exception("export worker error")
                _STOP.wait(poll_seconds)

    threads = [threading.Thread(target=loop, name=f"fairprocure-jobs-{i}", daemon=True) for i in range(count)]
    threads.append(threading.Thread(target=exports_loop, name="fairprocure-exports", daemon=True))
    for thread in threads:
        thread.start()
    return threads


start_worker = start_workers  # the name ``serve`` used before there were several
