"""Contracts: what register lines roll up into, per office; the unit of due diligence.

A contract is keyed by (office, key) — ``id:<contract id>`` or ``group:<supplier>|<period>`` (see
:mod:`fairprocure.web.contracts.rollup`) — never by a line row, so it and everything attached to it
(assessments, status, plans, activities, tenders, monitoring) survive every later screening.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts import status as st
from fairprocure.web.contracts.rollup import UNDATED


class Contract(models.Model):
    class Status(models.TextChoices):
        SCREENED = st.SCREENED, _("screened")
        ASSESSED = st.ASSESSED, _("assessed")
        IN_TENDER = st.IN_TENDER, _("in tender")
        IN_FORCE = st.IN_FORCE, _("in force")
        CLOSED = st.CLOSED, _("closed")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="contracts")
    key = models.CharField(max_length=700)
    contract_id = models.CharField(_("contract id"), max_length=300, blank=True)
    supplier_key = models.CharField(max_length=300, blank=True)  # grouped contracts: normalised supplier
    period = models.CharField(max_length=10, blank=True)  # grouped contracts: year or "undated"
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCREENED)
    high_risk = models.BooleanField(_("potentially high risk"), null=True)  # the assessment in force
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Figures from the current lines, recomputed after every screening of the office:
    line_count = models.IntegerField(_("lines"), default=0)
    value_eur = models.FloatField(_("value (EUR)"), default=0.0)
    high_lines = models.IntegerField(default=0)
    top_score = models.FloatField(_("highest risk score"), default=0.0)
    top_level = models.CharField(_("highest risk level"), max_length=10, default="low")
    suppliers = models.JSONField(default=list)  # [{"name", "value_eur"}], largest first
    categories = models.JSONField(default=list)  # [{"category", "label", "value_eur"}], largest first
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    years = models.JSONField(default=list)  # calendar years with lines
    link_keys = models.TextField(default="", blank=True)  # rollup.link_keys: categories and suppliers
    created = models.DateTimeField(auto_now_add=True)
    rolled_up = models.DateTimeField(null=True, blank=True)
    in_register = models.BooleanField(_("lines in the register"), default=True)

    class Meta:
        ordering = ["-top_score", "-value_eur", "pk"]
        constraints = [models.UniqueConstraint(fields=["office", "key"], name="contract_unique_per_office")]
        indexes = [
            models.Index(fields=["office", "-top_score"], name="contract_office_risk"),
            models.Index(fields=["office", "status"], name="contract_office_status"),
            # Covers the high-risk spend of a year (plans' KPI) and finds assessed high-risk contracts.
            models.Index(
                fields=["office", "high_risk", "top_level", "first_date", "last_date", "value_eur"],
                name="contract_office_high_risk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.label}"

    @property
    def grouped(self) -> bool:
        return not self.contract_id

    @property
    def supplier_names(self) -> list[str]:
        return [s["name"] for s in self.suppliers]

    @property
    def label(self) -> str:
        if self.contract_id:
            return self.contract_id
        supplier = self.suppliers[0]["name"] if self.suppliers else self.supplier_key or "?"
        period = _("undated") if self.period == UNDATED else self.period
        return f"{supplier}, {period}"

    @property
    def category_ids(self) -> list[str]:
        return [c["category"] for c in self.categories]

    @property
    def high_level(self) -> bool:
        """High risk as it stands: the assessment in force, else the highest level of its lines."""
        return self.high_risk if self.high_risk is not None else self.top_level in ("high", "critical")

    def lines(self):
        """This contract's lines in the register now (matched by key, never by stored row)."""
        from fairprocure.web.contracts.services import lines_of

        return lines_of(self)


class Assessment(models.Model):
    """A focal point confirms or rejects "potentially high risk", says why and what must be done."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="assessments")
    high_risk = models.BooleanField(_("potentially high risk"))
    justification = models.TextField(_("justification"))
    measures = models.TextField(_("measures required"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]


class StatusChange(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=12, choices=Contract.Status.choices)
    new = models.CharField(max_length=12, choices=Contract.Status.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
