"""Accepting a file for screening: type and size checks, content hash, one screening per file and office."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import Office
from fairprocure.web.screenings.models import Screening

ALLOWED_SUFFIXES = {
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".xls",
    ".ods",
    ".json",
    ".jsonl",
}  # not macro workbooks (.xlsm)


class UploadError(ValueError):
    """The file cannot be accepted; the message says why and what to do."""


def check_name(name: str) -> str:
    """Return the file's suffix if it is a type the screening reads."""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(
            f"{name}: files of type {suffix or '(none)'} cannot be screened; "
            f"upload CSV, XLSX or OCDS JSON ({', '.join(sorted(ALLOWED_SUFFIXES))})"
        )
    return suffix


def accept(
    stream: BinaryIO,
    name: str,
    office: Office,
    actor,
    period: tuple | None = None,
    queue: bool = True,
) -> tuple[Screening, bool]:
    """Store the upload under FAIRPROCURE_HOME and queue its screening; ``(screening, created)``.

    The same content uploaded again for the same office returns the existing screening (a failed or
    cancelled one is queued again), so lines are never duplicated; callers tell the person so
    (:func:`duplicate_note`). ``period``: (first day, last day) the file covers, as the uploader says;
    else it is read from the lines' dates. ``queue=False`` stores it ``held``, for a step before
    queueing (a preview a person confirms; then ``jobs.release``).
    """
    name = Path(name).name
    check_name(name)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    incoming = settings.UPLOAD_DIR / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(dir=incoming, suffix=".part")
    temp = Path(temp_name)
    with open(handle, "wb") as out:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                temp.unlink()
                raise UploadError(
                    f"{name}: larger than {settings.MAX_UPLOAD_MB} MB; split the file or raise "
                    "FAIRPROCURE_MAX_UPLOAD_MB"
                )
            digest.update(chunk)
            out.write(chunk)
    sha = digest.hexdigest()
    existing = Screening.objects.filter(office=office, sha256=sha).first()
    if existing is not None:
        temp.unlink()
        if existing.status in (Screening.Status.FAILED, Screening.Status.CANCELLED):
            Screening.objects.filter(pk=existing.pk).update(
                status=Screening.Status.QUEUED if queue else Screening.Status.HELD,
                message="",
                progress=0,
                attempts=0,
                cancel_requested=False,
                cancelled_by="",
                finished=None,
            )
            record(actor, "screening.retried", office=office, target=name, details={"screening": existing.pk})
            existing.refresh_from_db()
        return existing, False
    target = settings.UPLOAD_DIR / office.code / sha[:16] / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(temp, target)
    start, end = period if period and period[0] else (None, None)
    screening = Screening.objects.create(
        office=office,
        file_name=name,
        sha256=sha,
        stored_path=str(target),
        size=size,
        uploaded_by=getattr(actor, "username", str(actor)),
        status=Screening.Status.QUEUED if queue else Screening.Status.HELD,
        period_start=start,
        period_end=end,
        period_set_by=getattr(actor, "username", str(actor)) if start else "",
    )
    record(
        actor,
        "screening.uploaded",
        office=office,
        target=name,
        details={"sha256": sha, "bytes": size, "screening": screening.pk, "period": screening.period_code},
    )
    return screening, True


def duplicate_note(screening: Screening, name: str) -> str:
    """What to tell a person whose upload is the same content as an earlier one of the office."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    when = date_format(screening.created, "SHORT_DATETIME_FORMAT")
    if screening.active:
        state = _("It is being screened; nothing is screened twice.")
    else:
        state = _("Nothing was screened twice.")
    return _(
        "%(name)s has the same content as %(file)s, uploaded by %(by)s on %(when)s for this office. %(state)s"
    ) % {"name": name, "file": screening.file_name, "by": screening.uploaded_by, "when": when, "state": state}
