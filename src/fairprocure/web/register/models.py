"""Register lines (one row per screened line, keyed by office and line id) and risk decisions on them."""

from __future__ import annotations

import orjson
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairprocure.web.labels import LEVEL_LABELS  # noqa: F401  (the decision form's choices)

LEVELS = ["low", "medium", "high", "critical"]


class Line(models.Model):
    """The columns of ``fairprocure.schema.REGISTER_COLUMNS`` plus the office, screening and decision."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="lines")
    screening = models.ForeignKey("screenings.Screening", on_delete=models.PROTECT, related_name="lines")
    line_id = models.CharField(max_length=300)
    office_name = models.CharField(max_length=300, blank=True)  # the register's own `office` column
    contract_id = models.CharField(max_length=300, blank=True)
    record_id = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    supplier_name = models.CharField(max_length=500, blank=True)
    supplier_country = models.CharField(max_length=3, blank=True)
    origin_country = models.CharField(max_length=3, blank=True)
    delivery_country = models.CharField(max_length=3, blank=True)
    cpv = models.CharField(max_length=10, blank=True)
    cpv_source = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=80, blank=True)
    category_label = models.CharField(max_length=200, blank=True)
    category_confidence = models.FloatField(null=True)
    classification_evidence = models.TextField(blank=True)
    classification_message = models.TextField(blank=True)  # {"t", "p"}: the evidence, translatable
    value = models.FloatField(null=True)
    currency = models.CharField(max_length=3, blank=True)
    value_eur = models.FloatField(null=True)
    date = models.DateField(null=True)
    risk_score = models.FloatField(default=0)
    risk_level = models.CharField(max_length=10)
    likelihood = models.FloatField(null=True)
    severity = models.CharField(max_length=30, blank=True)
    priority = models.FloatField(default=0)
    priority_rank = models.BigIntegerField(null=True)
    factors = models.TextField(default="[]")
    source_file = models.CharField(max_length=500, blank=True)
    source_record = models.CharField(max_length=500, blank=True)
    data_issues = models.TextField(blank=True)
    decided_level = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "line_id"], name="line_unique_per_office")]
        indexes = [
            models.Index(fields=["office", "-priority"], name="line_office_priority"),
            models.Index(fields=["-priority"], name="line_priority"),
            models.Index(fields=["office", "risk_level"], name="line_office_level"),
            models.Index(fields=["office", "category"], name="line_office_category"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.line_id}"

    @property
    def level(self) -> str:
        """The risk level in force: a focal point's decision if any, else the screening's."""
        return self.decided_level or self.risk_level

    def factor_list(self) -> list[dict]:
        return orjson.loads(self.factors or "[]")

    def issue_list(self) -> list:
        try:
            return orjson.loads(self.data_issues) if self.data_issues else []
        except orjson.JSONDecodeError:
            return [self.data_issues]


class Decision(models.Model):
    """A focal point's confirmation, raise or lowering of a line's risk, with the justification."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm")
        RAISE = "raise", _("Raise")
        LOWER = "lower", _("Lower")

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("risk level"), max_length=10)
    previous_level = models.CharField(max_length=10)
    original_level = models.CharField(max_length=10)
    original_score = models.FloatField()
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
