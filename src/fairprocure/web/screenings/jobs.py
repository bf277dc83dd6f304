"""The job runner: screenings are jobs in the database, claimed one at a time by a worker thread.

A job left ``running`` by a stopped server is queued again when the worker starts, and its upload
stays on disk, so screenings survive restarts. A failed job keeps its upload and says why.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from pathlib import Path

from django.db import close_old_connections
from django.utils import timezone

from fairprocure.web.dashboard.stats import office_totals, refresh_office
from fairprocure.web.register.current import bring_in
from fairprocure.web.register.store import store_register
from fairprocure.web.review.inputs import inputs_for
from fairprocure.web.screenings import engine
from fairprocure.web.screenings.models import Screening

log = logging.getLogger("fairprocure.web.jobs")
Status = Screening.Status


def _claim() -> Screening | None:
    for pk in (
        Screening.objects.filter(status=Status.QUEUED)
        .order_by("created", "pk")
        .values_list("pk", flat=True)[:5]
    ):
        if Screening.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.RUNNING, started=timezone.now(), progress=0, message=""
        ):
            return Screening.objects.select_related("office").get(pk=pk)
    return None


def _reporter(screening: Screening, start: float, span: float):
    last = [0.0]

    def report(share: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and share < 1:
            return
        last[0] = now
        Screening.objects.filter(pk=screening.pk).update(
            progress=round(start + span * max(0.0, min(share, 1.0)), 3), message=message[:500]
        )

    return report


def run(screening: Screening) -> None:
    """Screen the file, store its lines, refresh the office's statistics; record failure with its cause."""
    try:
        path = Path(screening.stored_path)
        if not path.exists():
            raise FileNotFoundError(f"the uploaded file is missing from {path}; upload it again")
        options = _registry_evidence(screening)
        with inputs_for(screening.office) as review:  # decisions in force, the organisation's model
            register, problems, quality = engine.screen_file(
                path, _reporter(screening, 0.0, 0.7), **options, **review
            )
        store = _reporter(screening, 0.7, 0.25)
        count = store_register(
            register, screening.office, screening, lambda share: store(share, "storing lines")
        )
        bring_in(screening)  # the lines switch into the register: once, after the last batch
        refresh_office(screening.office)
        Screening.objects.filter(pk=screening.pk).update(
            status=Status.DONE,
            progress=1.0,
            finished=timezone.now(),
            line_count=count,
            message="",
            quality=_jsonable(quality),
            problems=[_problem(p) for p in problems[:1000]],
            summary=office_totals(screening.office),
        )
    except Exception as exc:
        log.exception("screening %s failed", screening.pk)
        Screening.objects.filter(pk=screening.pk).update(
            status=Status.FAILED,
            finished=timezone.now(),
            message=f"{type(exc).__name__}: {exc}"[:2000] + "\n" + traceback.format_exc(limit=3)[-1000:],
        )


def _registry_evidence(screening: Screening) -> dict:
    """The supplier registry's evidence (questionnaires, statuses, expired documents) for this screening."""
    from fairprocure.web.suppliers.evidence import write_csv

    path = write_csv(Path(screening.stored_path).parent / "supplier-evidence.csv")
    return {"supplier_evidence": path} if path else {}


def _problem(problem) -> dict:
    if isinstance(problem, dict):
        return _jsonable(problem)
    fields = ("file", "record", "field", "message", "action")
    return {f: str(getattr(problem, f, "") or "") for f in fields}


def _jsonable(value):
    import orjson

    return orjson.loads(orjson.dumps(value, default=str))


def run_pending() -> int:
    """Run every queued job now, in this thread; returns how many ran (used by ``import`` and tests)."""
    done = 0
    while (screening := _claim()) is not None:
        run(screening)
        done += 1
    return done


def requeue_interrupted() -> int:
    """Put jobs a stopped server left running back in the queue."""
    return Screening.objects.filter(status=Status.RUNNING).update(status=Status.QUEUED, progress=0)


def start_worker(poll_seconds: float = 1.0) -> threading.Thread:
    """Start the background worker thread (one per server process)."""
    requeue_interrupted()

    def loop() -> None:
        while True:
            try:
                close_old_connections()
                if not run_pending():
                    time.sleep(poll_seconds)
            except Exception:  # keep the worker alive whatever a job does
                log.exception("job worker error")
                time.sleep(poll_seconds)

    thread = threading.Thread(target=loop, name="fairprocure-jobs", daemon=True)
    thread.start()
    return thread
