"""Uploads become background screenings: progress, failure with its cause, restart, no duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.register.models import Line
from fairprocure.web.screenings.jobs import requeue_interrupted, run_pending
from fairprocure.web.screenings.models import Screening
from fairprocure.web.screenings.uploads import UploadError, accept
from web.workspace_helpers import fake_engine, office, register_table, screen_into

pytestmark = pytest.mark.django_db


def test_a_screening_stores_every_register_line_and_logs_the_upload(monkeypatch):
    screening = screen_into(office("A"), register_table(7), monkeypatch)
    assert screening.status == "done" and screening.progress == 1.0
    assert Line.objects.filter(office__code="A").count() == 7 == screening.line_count
    assert AuditEvent.objects.filter(action="screening.uploaded", office__code="A").count() == 1


def test_uploading_the_same_file_again_returns_the_same_screening(monkeypatch):
    a = office("A")
    first = screen_into(a, register_table(5), monkeypatch, name="ledger.csv")
    again, created = accept(io.BytesIO(b"A,ledger.csv,5"), "ledger.csv", a, "test")
    assert (again.pk, created) == (first.pk, False)
    assert Line.objects.count() == 5


def test_a_new_file_bringing_the_same_lines_puts_its_versions_in_force_and_keeps_the_old(monkeypatch):
    a = office("A")
    first = screen_into(a, register_table(4), monkeypatch, name="january.csv")
    second = screen_into(a, register_table(6), monkeypatch, name="february.csv")
    current = Line.objects.filter(office=a, current=True)
    assert current.count() == 6 and set(current.values_list("screening", flat=True)) == {second.pk}
    kept = Line.objects.filter(screening=first)
    assert kept.count() == 4 and not kept.filter(current=True).exists()
    assert all(old.superseded_by.screening_id == second.pk for old in kept)


def test_the_same_line_ids_in_two_offices_are_two_lines(monkeypatch):
    screen_into(office("A"), register_table(3), monkeypatch)
    screen_into(office("B"), register_table(3), monkeypatch)
    assert Line.objects.filter(current=True).count() == 6


def test_a_failed_job_says_why_and_keeps_the_upload(monkeypatch):
    from fairprocure.web.screenings import engine

    def broken(path, progress, **options):
        raise ValueError("column 'amount' holds text in row 12")

    monkeypatch.setattr(engine, "screen_file", broken)
    screening, _ = accept(io.BytesIO(b"x"), "bad.csv", office("A"), "test")
    run_pending()
    screening.refresh_from_db()
    assert screening.status == "failed"
    assert "column 'amount' holds text in row 12" in screening.message
    assert Path(screening.stored_path).read_bytes() == b"x"


def test_a_failed_upload_sent_again_is_screened_again(monkeypatch):
    from fairprocure.web.screenings import engine

    monkeypatch.setattr(engine, "screen_file", lambda path, progress, **options: 1 / 0)
    a = office("A")
    screening, _ = accept(io.BytesIO(b"x"), "ledger.csv", a, "test")
    run_pending()
    fake_engine(monkeypatch, register_table(2))
    again, created = accept(io.BytesIO(b"x"), "ledger.csv", a, "test")
    assert again.pk == screening.pk and not created and again.status == "queued"
    run_pending()
    again.refresh_from_db()
    assert again.status == "done" and again.line_count == 2


def test_a_job_interrupted_by_a_restart_is_queued_and_run_again(monkeypatch):
    calls = fake_engine(monkeypatch, register_table(3))
    screening, _ = accept(io.BytesIO(b"x"), "ledger.csv", office("A"), "test")
    Screening.objects.filter(pk=screening.pk).update(status="running", progress=0.4)  # the server died here
    assert run_pending() == 0
    assert requeue_interrupted() == 1
    assert run_pending() == 1
    screening.refresh_from_db()
    assert screening.status == "done" and calls == [Path(screening.stored_path)]


@pytest.mark.parametrize("name", ["report.pdf", "macro.xlsm", "noextension"])
def test_files_the_screening_cannot_read_are_refused(name):
    with pytest.raises(UploadError, match="upload CSV, XLSX or OCDS JSON"):
        accept(io.BytesIO(b"x"), name, office("A"), "test")


def test_files_over_the_size_limit_are_refused(settings):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(UploadError, match="larger than 1 MB"):
        accept(io.BytesIO(b"x" * (1024 * 1024 + 1)), "big.csv", office("A"), "test")
    assert not Screening.objects.exists()


def test_the_screening_page_shows_progress_while_the_job_runs(client, monkeypatch):
    from web.workspace_helpers import user

    office("A")
    client.force_login(user("buyer", "procurement_officer", "A"))
    screening, _ = accept(
        io.BytesIO(b"x"),
        "ledger.csv",
        Screening._meta.apps.get_model("offices", "Office").objects.get(code="A"),
        "test",
    )
    Screening.objects.filter(pk=screening.pk).update(status="running", progress=0.42, message="scoring")
    page = client.get(f"/screenings/{screening.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and "42 %" in page and "scoring" in page
    assert 'id="cancel"' in page  # an officer of the office may cancel it
