"""Register lines and risk decisions on them.

A line is known by its identity within its office, ``line_id`` (the source's record id, else its content
fingerprint: :mod:`fairprocure.ingest.identity`). Every screening stores its own version of each line;
one version per identity is *current* and makes the register (:mod:`fairprocure.web.register.current`).
"""

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
    fingerprint = models.CharField(max_length=16, blank=True)  # the content (fairprocure.ingest.identity)
    # One version of each line (office, line_id) is current: the one in the register. Older versions, and
    # lines of a superseded screening, stay for the record with current=False.
    current = models.BooleanField(default=False)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
    classification_status = models.CharField(max_length=20, blank=True)
    category_candidates = models.TextField(blank=True)
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
    priority_rank = models.BigIntegerField(null=True)  # in the whole register at the last full ranking
    effective_priority = models.FloatField(default=0)  # priority with the decided level applied
    rank_moved = models.BooleanField(default=False)  # its effective priority changed since (ranking.py)
    factors = models.TextField(default="[]")
    source_file = models.CharField(max_length=500, blank=True)
    source_record = models.CharField(max_length=500, blank=True)
    data_issues = models.TextField(blank=True)
    decided_level = models.CharField(max_length=10, blank=True, default="")  # the decision in force, if any
    # The level in force (decided_level, else risk_level), written with effective_priority
    # (ranking.refresh_effective) so that the register's level filter reads one indexed column.
    level_in_force = models.CharField(max_length=10, blank=True, default="")
    # The latest decision about this line's identity; stale when it was made on other content (the
    # record changed since): then it is not in force and the line needs a new look.
    decision = models.ForeignKey(
        "register.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_stale = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["screening", "line_id"], name="line_unique_per_screening"),
            models.UniqueConstraint(
                fields=["office", "line_id"], condition=models.Q(current=True), name="line_current_per_office"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "line_id"], name="line_identity"),
            # Partial indexes over the register (current lines): the organisation's order, an office's
            # order, and the lines moved by a decision since the last full ranking (ranking.py).
            # The register's order (filters.ORDER), whole: a page is a walk of the index from a line on
            # (register/paging.py), for the organisation, an office, a level in force or a category.
            models.Index(
                fields=["-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_order",
            ),
            models.Index(
                fields=["office", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_office_order",
            ),
            models.Index(
                fields=["level_in_force", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_level_order",
            ),
            models.Index(
                fields=["office", "level_in_force", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_office_level_order",
            ),
            models.Index(
                fields=["category", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_category_order",
            ),
            # The other sorts over the whole register (filters.SORTS: missing values last).
            # (SQLite puts missing values last in a descending index, as the sorts do; PostgreSQL's
            # descending index has them first, so there these two serve the keyset but not the sort.)
            models.Index(
                fields=["-value_eur", "id"], condition=models.Q(current=True), name="line_value_order"
            ),
            models.Index(fields=["-date", "id"], condition=models.Q(current=True), name="line_date_order"),
            models.Index(  # a level in a category: found or known absent without reading the level's lines
                fields=["category", "level_in_force", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_category_level_order",
            ),
            models.Index(  # the same in one office (an officer's filtered register): 1 ms, not 30-50
                fields=["office", "category", "level_in_force", "-effective_priority", "-risk_score", "id"],
                condition=models.Q(current=True),
                name="line_office_cat_level_order",
            ),
            models.Index(fields=["rank_moved"], condition=models.Q(rank_moved=True), name="line_rank_moved"),
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

    def candidate_list(self) -> list[dict]:
        """A text reading's candidate categories with their probabilities (empty for a given code)."""
        try:
            return orjson.loads(self.category_candidates) if self.category_candidates else []
        except orjson.JSONDecodeError:
            return []

    def issue_list(self) -> list:
        try:
            return orjson.loads(self.data_issues) if self.data_issues else []
        except orjson.JSONDecodeError:
            return [self.data_issues]


class Decision(models.Model):
    """A focal point's confirmation, raise or lowering of a line's risk, with the justification.

    It is about a line's identity (office, ``line_key``) *and* what the line said when it was decided:
    supplier, description, value, score and the content fingerprint are kept. A later screening's version
    of the same line with the same content carries it over; a changed one shows it as stale.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm")
        RAISE = "raise", _("Raise")
        LOWER = "lower", _("Lower")

    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, related_name="decisions"
    )  # the version decided on
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+", null=True)
    line_key = models.CharField(max_length=300, blank=True)  # the line's identity (line_id) in its office
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("risk level"), max_length=10)
    previous_level = models.CharField(max_length=10)
    original_level = models.CharField(max_length=10)
    original_score = models.FloatField()
    justification = models.TextField(_("justification"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    # What was decided on:
    fingerprint = models.CharField(max_length=16, blank=True)
    supplier_name = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    value = models.FloatField(null=True)
    currency = models.CharField(max_length=3, blank=True)
    value_eur = models.FloatField(null=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["office", "line_key", "-at"], name="decision_identity")]

    def about(self) -> str:
        """What the decision was about, in words: supplier, description, value."""
        return describe(self.supplier_name, self.description, self.value, self.currency)


def describe(supplier: str, description: str, value: float | None, currency: str) -> str:
    """``Fresh Catering Ltd: "catering services staff canteen", 1,200.00 EUR`` (short enough for a log)."""
    text = description if len(description) <= 100 else description[:99] + "…"
    amount = f", {value:,.2f} {currency}".rstrip() if value is not None else ""
    return f'{supplier or "?"}: "{text}"{amount}'


class Export(models.Model):
    """A register export prepared in the background (large selections): who asked, what, and the file.

    ``query`` is the register page's query string (office, filters, sort) when it was asked; the lines are
    those the person could see then and there, read when the export runs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fmt = models.CharField(max_length=4)  # csv or xlsx
    query = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.BigIntegerField(default=0)
    size = models.BigIntegerField(default=0)  # bytes of the file
    message = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="export_status")]

    @property
    def file_name(self) -> str:
        return f"register-{self.pk}.{self.fmt}"
