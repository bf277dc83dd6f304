"""People's classification decisions and the organisation's own text models.

A :class:`CategoryDecision` says what a description, or a supplier's lines, are — for one office or for
the whole organisation. It classifies every matching line in the register now and in every later
screening (:mod:`fairprocure.web.review.services`), and the decided descriptions retrain the
organisation's text model (:class:`TrainingRun`, :mod:`fairprocure.web.review.training`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryDecision(models.Model):
    """ "This description / this supplier is that category", for an office or the whole organisation.

    Decisions are never deleted: a new decision on the same thing in the same scope ends the old one
    (``ended_how`` "replaced"), and a decision may be withdrawn ("withdrawn"); only decisions in force apply.
    """

    class Ended(models.TextChoices):
        REPLACED = "replaced", _("replaced")
        WITHDRAWN = "withdrawn", _("withdrawn")

    organisation = models.ForeignKey("offices.Organisation", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(  # None: the whole organisation
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)  # as the person saw it
    description_key = models.CharField(max_length=500, blank=True)  # fairprocure.classify.normalise
    supplier = models.CharField(_("supplier"), max_length=500, blank=True)
    supplier_key = models.CharField(max_length=500, blank=True)  # fairprocure.score.evidence.supplier_key
    category = models.CharField(_("category"), max_length=80)
    cpv = models.CharField(_("CPV code"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.CharField(max_length=150)  # user name, or "import" sources such as a file
    at = models.DateTimeField(auto_now_add=True)
    lines = models.IntegerField(default=0)  # lines it classified when it was taken
    spend_eur = models.FloatField(default=0.0)  # their value in euros
    in_force = models.BooleanField(default=True)
    ended_how = models.CharField(max_length=12, choices=Ended.choices, blank=True)
    ended_by = models.CharField(max_length=150, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "in_force"], name="catdecision_in_force"),
            models.Index(fields=["description_key"], name="catdecision_description"),
            models.Index(fields=["supplier_key"], name="catdecision_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.what()} → {self.category}"

    def what(self) -> str:
        """What the decision is about, in words: 'service support', or supplier Acme Ltd."""
        if self.description and self.supplier:
            return f"'{self.description}' from {self.supplier}"
        return f"'{self.description}'" if self.description else f"supplier {self.supplier}"

    @property
    def scope(self) -> str:
        return "office" if self.office_id else "organisation"


class TrainingRun(models.Model):
    """One retraining of the organisation's text model on its decided descriptions (a background job)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey("offices.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.CharField(max_length=150)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the process running it
    message = models.TextField(blank=True)
    model_file = models.CharField(max_length=500, blank=True)  # relative to the data home
    examples = models.IntegerField(default=0)  # decided descriptions learned from
    held_out = models.IntegerField(default=0)  # decided descriptions kept aside to measure the learning
    accuracy_before = models.FloatField(null=True, blank=True)  # on the held-out ones, the model in use
    accuracy_after = models.FloatField(null=True, blank=True)  # ... a model trained without them
    in_use = models.BooleanField(default=False)  # the organisation's screenings use this model
    kept_out = models.BooleanField(default=False)  # not put in use: worse than the shipped model held out

    class Meta:
        ordering = ["-created", "-pk"]
