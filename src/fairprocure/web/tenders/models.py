"""Tender dossiers: a planned purchase or a contract's renewal, prepared stage by stage.

A dossier keeps one record per stage (checklist, decisions, sign-off), the documents attached, the
clause versions chosen, the evaluation criteria and the price checks of bids. Chosen clauses point at a
clause *version*: once the contract is signed they are frozen, and the contract keeps showing them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairprocure.web.tenders.guidance import STAGES


def attachment_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.UPLOAD_DIR / "tenders")


class Dossier(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("planned purchase")
        RENEWAL = "renewal", _("renewal of a contract")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="dossiers")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=80)
    countries = models.JSONField(_("countries"), default=list)  # ISO alpha-3: delivery and origin
    language = models.CharField(_("language of the tender documents"), max_length=5)
    heightened = models.BooleanField(_("heightened due diligence"), default=False)
    social_minimum = models.DecimalField(
        _("minimum social weighting (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.title}"

    @property
    def signed(self) -> bool:
        return self.signed_on is not None

    def stage_records(self) -> list[StageRecord]:
        found = {s.stage: s for s in self.stages.all()}
        return [found[s] for s in STAGES if s in found]


class StageRecord(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=30, choices=[(s, s) for s in STAGES])
    checked = models.JSONField(default=dict)  # checklist key → done
    decisions = models.TextField(_("decisions taken"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "stage"], name="stage_once_per_dossier")]

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(max_length=30, choices=[(s, s) for s in STAGES])
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(storage=attachment_storage, upload_to="%Y/%m/")
    name = models.CharField(max_length=300)  # the file's name as uploaded
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class ChosenClause(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="chosen")
    clause = models.ForeignKey("clauses.Clause", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("clauses.ClauseVersion", on_delete=models.PROTECT, related_name="uses")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["clause__type", "clause__key"]
        constraints = [models.UniqueConstraint(fields=["dossier", "clause"], name="clause_once_per_dossier")]


class Criterion(models.Model):
    class Kind(models.TextChoices):
        SELECTION = "selection", _("selection (pass or fail)")
        AWARD = "award", _("award (weighted)")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    social = models.BooleanField(_("social criterion"), default=False)
    guidance_en = models.TextField(_("scoring guidance (English)"), blank=True)
    guidance_ru = models.TextField(_("scoring guidance (Russian)"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "pk"]

    def title_in(self, language: str) -> str:
        return self.title_ru if language == "ru" and self.title_ru else self.title_en

    def guidance_in(self, language: str) -> str:
        return self.guidance_ru if language == "ru" and self.guidance_ru else self.guidance_en


class PriceCheck(models.Model):
    """A bid's price against the lawful cost of its labour (``fairprocure.labour_cost``)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="price_checks")
    bidder = models.CharField(_("bidder"), max_length=300)
    price = models.DecimalField(_("price"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    inputs = models.JSONField(default=dict)  # roles, months, contributions, other costs, wage floor used
    lawful_cost = models.DecimalField(_("lawful cost"), max_digits=16, decimal_places=2)
    below = models.BooleanField(_("below lawful cost"))
    breakdown = models.JSONField(default=list)  # [[what, amount], ...]
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class WageFloorRow(models.Model):
    """A wage floor the organisation loaded (legal minimum or collective agreement), with its source."""

    country = models.CharField(_("country"), max_length=3)
    sector = models.CharField(_("sector"), max_length=80)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    period = models.CharField(_("period"), max_length=6)
    normal_hours = models.DecimalField(_("normal hours"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    kind = models.CharField(_("kind"), max_length=24)
    source = models.CharField(_("source"), max_length=500)
    loaded_by = models.CharField(max_length=150)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "sector", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "sector", "kind", "valid_from", "currency"], name="wage_floor_unique"
            )
        ]
