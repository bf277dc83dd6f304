"""A screening is one uploaded file for one office and the job that screens it (the job table itself).

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
