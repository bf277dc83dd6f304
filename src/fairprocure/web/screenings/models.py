"""A screening is one uploaded file for one office and the job that screens it (the job table itself).

It covers a period; a later screening of the same office and period can supersede it (a corrected
file), an explicit act recorded in the audit log (:mod:`fairprocure.web.register.current`).

States: (``held`` →) ``queued`` → ``running`` → ``done`` | ``failed`` (with its reason in ``message``) | ``cancelled``.
A screening's lines and the office's figures change in one transaction with the step to ``done``, so
nothing of a screening is visible before it completes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Screening(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("waiting for confirmation")  # stored, not yet queued (a preview step)
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="screenings")
    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    stored_path = models.CharField(max_length=1000)
    size = models.BigIntegerField(default=0)
    uploaded_by = models.CharField(max_length=150)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0)
    message = models.TextField(blank=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    line_count = models.IntegerField(default=0)
    quality = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # office totals after this screening
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a stopped server's run counts)
    worker = models.CharField(max_length=200, blank=True)  # "host:pid" of the process running it
    cancel_requested = models.BooleanField(default=False)
    cancelled_by = models.CharField(max_length=150, blank=True)
    # The period the file covers (from its lines' dates, or set by the uploader); it orders screenings:
    # of two versions of one line, the one from the later period (then the later upload) is in force.
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    period_set_by = models.CharField(max_length=150, blank=True)  # "": read from the lines' dates
    rank = models.IntegerField(default=0)  # 1, 2, ... within the office, in that order
    stored = models.BooleanField(default=False)  # its lines are stored and take part in the register
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["office", "sha256"], name="screening_once_per_file")]
        indexes = [models.Index(fields=["status", "created"], name="screening_queue")]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.file_name} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        """Progress in whole percent, from the running job's live figure when this process runs it."""
        from fairprocure.web.screenings.jobs import live_progress

        share, _ = live_progress(self)
        return int(100 * share)

    @property
    def step(self) -> str:
        """What the running job is doing now."""
        from fairprocure.web.screenings.jobs import live_progress

        return live_progress(self)[1]

    @property
    def period(self) -> str:
        from fairprocure.web.screenings.periods import period_label

        return period_label(self.period_start, self.period_end)

    @property
    def period_code(self) -> str:
        """The period as ``2025-01`` or ``2025-01 – 2025-03`` (the audit log's notation)."""
        from fairprocure.web.screenings.periods import period_code

        return period_code(self.period_start, self.period_end)

    @property
    def current_line_count(self) -> int:
        """How many of its lines are the version in the register now."""
        return self.lines.filter(current=True).count() if self.stored else 0

    @property
    def in_register(self) -> bool:
        """Its lines take part in the register (stored, and not replaced by a corrected file)."""
        return self.stored and self.superseded_by_id is None
