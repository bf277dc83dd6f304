"""The clause library: clauses and their versions; a version is usable once a focal point approves it.

A version's texts never change once approved: an edit is a new version. What a tender or contract uses
points at a version, so it keeps showing the text it was signed with after later versions are approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "ru")  # every version has a title and a text in each; more languages may be added


class Clause(models.Model):
    class Type(models.TextChoices):
        CODE_OF_CONDUCT = "code_of_conduct", _("code of conduct")
        GENERAL_CONDITIONS = "general_conditions", _("general conditions of contract")
        SELECTION = "selection_criterion", _("selection criterion")
        AWARD = "award_criterion", _("award criterion")
        PERFORMANCE = "contract_performance", _("contract performance clause")
        AUDIT = "audit_monitoring", _("audit and monitoring rights")
        SUBCONTRACTING = "subcontracting_disclosure", _("subcontracting and supply-chain disclosure")
        REMEDIATION = "remediation", _("remediation")
        SUSPENSION = "suspension_termination", _("suspension and termination")

    class Tier(models.TextChoices):
        LOWER = "lower", _("lower risk")
        HEIGHTENED = "heightened", _("heightened risk")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    tier = models.CharField(_("risk tier"), max_length=12, choices=Tier.choices)
    categories = models.JSONField(_("categories"), default=list)  # taxonomy ids; "*" = any purchase
    sources = models.JSONField(_("sources"), default=list)  # keys of sources.toml
    source_note = models.TextField(_("other sources"), blank=True)  # the organisation's own references
    licence = models.CharField(_("licence"), max_length=200)
    shipped = models.BooleanField(default=False)  # from fairprocure's clauses.toml
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type", "key"]

    def __str__(self) -> str:
        return self.key

    def current(self) -> ClauseVersion | None:
        """The latest approved version: the one new tenders use."""
        return self.versions.filter(approved_at__isnull=False).order_by("-number").first()

    def applies_to(self, category: str) -> bool:
        return "*" in self.categories or category in self.categories


class ClauseVersion(models.Model):
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    texts = models.JSONField(_("texts"))  # {"en": {"title", "text"}, "ru": {...}}
    note = models.TextField(_("what changed"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver_name = models.CharField(max_length=150, blank=True)  # "fairprocure" for the shipped text
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["clause", "-number"]
        constraints = [models.UniqueConstraint(fields=["clause", "number"], name="clause_version_unique")]

    def __str__(self) -> str:
        return f"{self.clause.key} v{self.number}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def title_in(self, language: str | None = None) -> str:
        return self._text(language, "title")

    def text_in(self, language: str | None = None) -> str:
        return self._text(language, "text")

    def _text(self, language: str | None, field: str) -> str:
        language = (language or get_language() or "en")[:2]
        return (self.texts.get(language) or self.texts.get("en") or {}).get(field, "")

    @property
    def title(self) -> str:
        return self.title_in()

    @property
    def text(self) -> str:
        return self.text_in()
