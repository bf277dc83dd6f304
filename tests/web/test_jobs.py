"""Jobs people can follow: failed with a reason, cancelled, fair across offices, atomic, readable quality.

The engine is the real library here; jobs run in their own process where the test says so.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
from pathlib import Path

import pytest

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.register.models import Line
from fairprocure.web.screenings import engine, jobs
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.uploads import accept
from web.workspace_helpers import fake_engine, office, register_table, screen_into, user

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "src/fairprocure/demo"
LEDGER = DEMO / "hmt_spend_over_25k_2025Q1.csv"  # a real ledger shipped with the package

BAD_INPUTS = {
    "binary.csv": (bytes(range(256)) * 20, "is a binary file"),
    "garbage.csv": (
        b"lorem ipsum dolor\nsit amet ;;; ,,, \x01\x02\nzzz\n",
        "No line could be read from garbage.csv",
    ),
    "headers.csv": (b"supplier,amount,currency,date,description\n", "has a header row but no data rows"),
    "other.json": (b'{"foo": [1, 2, 3], "bar": "baz"}', "could be screened as OCDS releases"),
}


def upload(office_obj, name: str, content: bytes, actor="test") -> Screening:
    screening, _ = accept(io.BytesIO(content), name, office_obj, actor)
    return screening


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_a_file_that_gives_no_line_fails_with_its_reason(name):
    content, reason = BAD_INPUTS[name]
    screening = upload(office("A"), name, content)
    jobs.run_pending()
    screening.refresh_from_db()
    assert screening.status == "failed" and screening.line_count == 0
    assert reason in screening.message, screening.message
    assert "/" not in screening.message.replace(" / ", ""), "no server path in the reason"
    assert not Line.objects.exists()


def test_a_real_ledger_is_screened_in_its_own_process_with_a_readable_quality_table(client, settings):
    settings.SCREENINGS_IN_CHILD = True
    a = office("A", "GBR")
    screening = upload(a, LEDGER.name, LEDGER.read_bytes())
    jobs.run_pending()
    screening.refresh_from_db()
    assert screening.status == "done", screening.message
    assert screening.line_count == Line.objects.filter(office=a).count() > 200
    assert screening.attempts == 1 and not (settings.HOME / "work" / str(screening.pk)).exists()
    client.force_login(user("boss", "management"))
    page = client.get(f"/screenings/{screening.pk}/").content.decode()
    assert 'id="quality"' in page and "Records read" in page and "Share of spend classified" in page
    assert str(settings.HOME) not in page and str(settings.UPLOAD_DIR) not in page  # no server paths
    assert "{&#x27;" not in page and "{'" not in page  # not a Python dict


def test_a_running_job_in_its_own_process_is_cancelled_and_keeps_nothing(settings, monkeypatch):
    settings.SCREENINGS_IN_CHILD = True
    a = office("A", "GBR")
    screening = upload(a, LEDGER.name, LEDGER.read_bytes())
    claimed = jobs._claim()
    asked = []

    def stop_once_started() -> bool:  # the person presses "Cancel" while the child screens
        if not asked:
            asked.append(jobs.cancel(claimed, user("buyer", "procurement_officer", "A")))
        return original_stop(report)

    report = jobs._Reporter(claimed)
    original_stop = jobs._Reporter.stop
    monkeypatch.setattr(jobs, "_Reporter", lambda s: report)
    monkeypatch.setattr(report, "stop", stop_once_started)
    jobs.run(claimed)
    screening.refresh_from_db()
    assert asked == [True] and screening.status == "cancelled"
    assert screening.message == "cancelled by buyer" and not Line.objects.exists()
    assert AuditEvent.objects.filter(action="screening.cancelled", actor="buyer").exists()


def test_a_queued_job_is_cancelled_at_once_and_an_ended_one_is_not():
    a = office("A")
    queued = upload(a, "a.csv", b"x")
    assert jobs.cancel(queued, "olga")
    queued.refresh_from_db()
    assert queued.status == "cancelled" and jobs.run_pending() == 0
    assert not jobs.cancel(queued, "olga")  # ended already


def test_a_cancelled_upload_sent_again_is_screened_again(monkeypatch):
    a = office("A")
    fake_engine(monkeypatch, register_table(2))
    first = upload(a, "a.csv", b"x")
    jobs.cancel(first, "olga")
    again, created = accept(io.BytesIO(b"x"), "a.csv", a, "olga")
    assert again.pk == first.pk and not created and again.status == "queued"
    jobs.run_pending()
    again.refresh_from_db()
    assert again.status == "done" and again.line_count == 2


def test_a_free_worker_takes_the_office_with_nothing_running_first(settings):
    settings.SCREENING_WORKERS = 3  # one office may run two jobs at once
    a, b = office("A"), office("B")
    big = upload(a, "big.csv", b"1")
    second_of_a = upload(a, "second.csv", b"2")
    third_of_a = upload(a, "third.csv", b"3")
    small_of_b = upload(b, "small.csv", b"4")
    assert jobs._claim().pk == big.pk  # oldest first while nothing runs
    assert jobs._claim().pk == small_of_b.pk  # A has a job running: B's goes before A's second
    assert jobs._claim().pk == second_of_a.pk
    assert jobs._claim() is None  # A runs two of three workers: the last stays free for others
    assert jobs.run_pending(only=third_of_a.pk) == 1  # `fairprocure import` runs its own job at once


def test_lines_and_figures_appear_only_when_the_screening_completes(monkeypatch):
    """A store that breaks half-way leaves the register and the dashboard as they were."""
    from fairprocure.web.register import store

    a = office("A")
    before = screen_into(a, register_table(6, prefix="JAN"), monkeypatch, name="january.csv")
    figures = list(CellStat.objects.filter(office=a).values_list("lines", flat=True))
    monkeypatch.setattr(jobs, "STORE_BATCH", 2)
    calls = []
    real = store.store_register

    def breaks_on_the_third_batch(batch, office_obj, screening, progress=None):
        calls.append(len(batch))
        if len(calls) == 3:
            raise OSError("disk full")
        return real(batch, office_obj, screening, progress)

    monkeypatch.setattr(jobs, "store_register", breaks_on_the_third_batch)
    fake_engine(monkeypatch, register_table(8, prefix="FEB"))
    broken = upload(a, "february.csv", b"feb")
    jobs.run_pending()
    broken.refresh_from_db()
    assert broken.status == "failed" and "disk full" in broken.message and len(calls) == 3
    assert set(Line.objects.values_list("screening", flat=True)) == {before.pk}
    assert Line.objects.count() == 6
    assert list(CellStat.objects.filter(office=a).values_list("lines", flat=True)) == figures


def test_a_job_interrupted_too_often_fails_saying_why_and_a_live_worker_keeps_its_job():
    a = office("A")
    dead = upload(a, "a.csv", b"1")
    Screening.objects.filter(pk=dead.pk).update(status="running", attempts=3, worker="elsewhere:1")
    alive = upload(a, "b.csv", b"2")
    parent = f"{socket.gethostname()}:{os.getppid()}"  # a process that is running: not ours
    Screening.objects.filter(pk=alive.pk).update(status="running", attempts=1, worker=parent)
    assert jobs.requeue_interrupted() == 0
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and "stopped during this screening 3 times" in dead.message
    assert alive.status == "running"


def test_a_duplicate_upload_says_whose_screening_it_opens(client, monkeypatch):
    a = office("A")
    fake_engine(monkeypatch, register_table(2))
    first = upload(a, "ledger.csv", b"same bytes", actor="anna")
    jobs.run_pending()
    client.force_login(user("buyer", "procurement_officer", "A"))
    data = {"office": "A", "file": _named(b"same bytes", "copy.csv")}
    response = client.post("/screenings/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/screenings/{first.pk}/"
    page = response.content.decode()
    assert "copy.csv has the same content as ledger.csv, uploaded by anna" in page
    assert "Nothing was screened twice" in page


def test_the_dashboard_says_what_is_in_progress_and_counts_finished_screenings_only(client, monkeypatch):
    a = office("A")
    screen_into(a, register_table(3), monkeypatch)
    running = upload(a, "big.csv", b"big")
    Screening.objects.filter(pk=running.pk).update(status="running", progress=0.37, message="scoring")
    client.force_login(user("boss", "management"))
    page = client.get("/dashboard/").content.decode()
    assert "Screenings in progress" in page and "A · big.csv · 37 %" in page
    assert "finished screenings only" in page
    api = client.get(f"/api/screenings/{running.pk}").json()
    assert api["status"] == "running" and api["progress"] == 0.37 and api["message"] == "scoring"


def test_without_the_engine_process_a_missing_upload_fails_with_its_reason():
    a = office("A")
    screening = upload(a, "gone.csv", b"x")
    shutil.rmtree(Path(screening.stored_path).parent)
    jobs.run_pending()
    screening.refresh_from_db()
    assert screening.status == "failed" and "the uploaded file gone.csv is missing" in screening.message


def test_server_paths_are_cut_from_messages():
    text = "/srv/fairprocure/uploads/A/abc/ledger.csv: cannot parse as CSV at /tmp/x/y.parquet"
    assert engine.without_paths(text) == "ledger.csv: cannot parse as CSV at y.parquet"


def _named(content: bytes, name: str):
    stream = io.BytesIO(content)
    stream.name = name
    return stream
