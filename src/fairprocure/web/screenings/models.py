"""A screening is one uploaded file for one office and the job that screens it (the job table itself)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Screening(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

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

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["office", "sha256"], name="screening_once_per_file")]
        indexes = [models.Index(fields=["status", "created"], name="screening_queue")]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.file_name} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
