"""The organisation's own text model: retraining as a background job, and which model screenings use.

:func:`start` records a :class:`TrainingRun` and runs it in a background thread that starts
``python -m fairprocure.web.review.retrain`` in its own process (its memory goes back to the system when
it ends; the web process only waits). The run writes the organisation's decided descriptions as a
decision file, the child retrains the library's model on them (the ``--extra`` path) and measures the
learning; the new model is stored under the data home (``models/organisation-<id>/run-<id>.npz``) and
put in use: every later screening of the organisation's offices classifies free text with it.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import orjson
from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from fairprocure.web.audit.log import record
from fairprocure.web.review.models import CategoryDecision, TrainingRun

log = logging.getLogger("fairprocure.web.review")
Status = TrainingRun.Status
TIMEOUT_S = 4 * 3600


def models_dir(organisation) -> Path:
    return settings.HOME / "models" / f"organisation-{organisation.pk}"


def in_use(organisation) -> TrainingRun | None:
    """The organisation's model in use (None: the shipped model)."""
    run = TrainingRun.objects.filter(organisation=organisation, in_use=True).order_by("-finished").first()
    if run is not None and not (settings.HOME / run.model_file).is_file():
        return None  # the file went missing: screenings fall back to the shipped model
    return run


def model_path(organisation) -> Path | None:
    run = in_use(organisation)
    return settings.HOME / run.model_file if run else None


def classifier_for(organisation):
    """The text classifier the organisation's screenings use: its own model, else the shipped one."""
    path = model_path(organisation)
    if path is None:
        from fairprocure.classify.model import load_classifier

        return load_classifier().predict
    from fairprocure.web.screenings.engine import own_model

    return own_model(path).predict


def decided_descriptions(organisation):
    """Every description decision in force in the organisation (any office's and organisation-wide)."""
    return CategoryDecision.objects.filter(organisation=organisation, in_force=True).exclude(description="")


def busy(organisation) -> TrainingRun | None:
    return TrainingRun.objects.filter(
        organisation=organisation, status__in=[Status.QUEUED, Status.RUNNING]
    ).first()


def start(organisation, actor, background: bool = True, base_examples=None) -> TrainingRun:
    """Queue a retraining of the organisation's model on its decided descriptions and start it.

    ``background=False`` runs it now in this process; ``base_examples`` (tests: a small training set
    instead of every shipped text, which takes minutes) only then."""
    from fairprocure.web.review.services import DecisionError

    _forget_interrupted(organisation)
    if busy(organisation):
        raise DecisionError("a retraining is already running; wait for it to finish")
    if not decided_descriptions(organisation).exists():
        raise DecisionError("there is no decided description to learn from yet")
    name = getattr(actor, "username", None) or str(actor)
    run = TrainingRun.objects.create(organisation=organisation, requested_by=name)
    record(
        actor,
        "classification.retrain_requested",
        target=f"retraining the text model of {organisation.name} on its decided descriptions",
        details={"run": run.pk},
    )
    if background:
        threading.Thread(
            target=_thread, args=(run.pk,), name=f"fairprocure-retrain-{run.pk}", daemon=True
        ).start()
    else:
        execute(run, in_child=False, base_examples=base_examples)
    return run


def _thread(pk: int) -> None:
    close_old_connections()
    try:
        execute(TrainingRun.objects.select_related("organisation").get(pk=pk))
    finally:
        close_old_connections()


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _forget_interrupted(organisation) -> None:
    """Runs a stopped server left queued or running (their process is gone) are marked failed."""
    for run in TrainingRun.objects.filter(
        organisation=organisation, status__in=[Status.QUEUED, Status.RUNNING]
    ):
        host, _, pid = run.worker.partition(":")
        alive = run.worker == _me() or (host == socket.gethostname() and pid.isdigit() and _alive(int(pid)))
        if not alive and (run.worker or run.created < timezone.now() - timezone.timedelta(minutes=5)):
            TrainingRun.objects.filter(pk=run.pk).update(
                status=Status.FAILED, finished=timezone.now(), message="interrupted: the server stopped"
            )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def write_decisions(organisation, path: Path) -> int:
    from fairprocure.web.review.services import export_csv

    decisions = list(decided_descriptions(organisation).select_related("office").order_by("at", "pk"))
    path.write_text(export_csv(decisions, for_people=False), encoding="utf-8")
    return len(decisions)


def execute(run: TrainingRun, in_child: bool = True, base_examples=None) -> TrainingRun:
    """Run a queued retraining now (in this thread; the training itself in a child process)."""
    organisation = run.organisation
    TrainingRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, started=timezone.now(), worker=_me())
    work = settings.HOME / "work" / f"retrain-{run.pk}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        write_decisions(organisation, work / "decisions.csv")
        if in_child:
            done = subprocess.run(
                [sys.executable, "-m", "fairprocure.web.review.retrain", str(work)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
            if (work / "error.json").exists():
                raise RuntimeError(orjson.loads((work / "error.json").read_bytes())["message"])
            if done.returncode != 0:
                raise RuntimeError(
                    f"the training process stopped (exit status {done.returncode}): {done.stderr[-500:]}"
                )
            result = orjson.loads((work / "result.json").read_bytes())
        else:
            from fairprocure.web.review.retrain import retrain

            result = retrain(work / "decisions.csv", work / "model.npz", base_examples=base_examples)
        target = models_dir(organisation) / f"run-{run.pk}.npz"
        target.parent.mkdir(parents=True, exist_ok=True)
        (work / "model.npz").replace(target)
        before, after = result["accuracy_before"], result["accuracy_after"]
        worse = before is not None and after is not None and after < before
        with transaction.atomic():
            if not worse:  # a model that did worse on the held-out decisions is kept, not used
                TrainingRun.objects.filter(organisation=organisation, in_use=True).update(in_use=False)
            TrainingRun.objects.filter(pk=run.pk).update(
                status=Status.DONE,
                finished=timezone.now(),
                model_file=str(target.relative_to(settings.HOME)),
                examples=result["examples"],
                held_out=result["held_out"],
                accuracy_before=result["accuracy_before"],
                accuracy_after=result["accuracy_after"],
                in_use=not worse,
                kept_out=worse,
                message="",
            )
        run.refresh_from_db()
        record(
            "retraining",
            "classification.retrained",
            target=_words(run),
            details={
                k: result.get(k)
                for k in ("examples", "held_out", "accuracy_before", "accuracy_after", "seconds")
            }
            | {"run": run.pk, "requested_by": run.requested_by},
        )
    except Exception as exc:
        log.exception("retraining %s failed", run.pk)
        TrainingRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED, finished=timezone.now(), message=f"{exc}"[:2000]
        )
        run.refresh_from_db()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return run


def _words(run: TrainingRun) -> str:
    said = f"text model of {run.organisation.name} retrained on {run.examples} decided descriptions, " + (
        "not put in use (worse on the held-out ones than the shipped model)" if run.kept_out else "now in use"
    )
    if run.accuracy_before is not None and run.accuracy_after is not None:
        said += (
            f"; on {run.held_out} held-out decided descriptions {run.accuracy_before:.0%} right before, "
            f"{run.accuracy_after:.0%} after"
        )
    return said


def stop_using(organisation, actor) -> None:
    """Go back to the shipped model (the organisation's models stay on disk and in the list)."""
    if TrainingRun.objects.filter(organisation=organisation, in_use=True).update(in_use=False):
        record(
            actor,
            "classification.model_reset",
            target=f"{organisation.name} screens with the shipped text model again",
        )
