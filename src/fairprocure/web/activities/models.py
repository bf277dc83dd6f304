"""Activities: workshops, training and supplier engagement (pre-tender briefings), with participants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        TRAINING = "training", _("training")
        PRE_TENDER_BRIEFING = "pre_tender_briefing", _("pre-tender briefing (supplier engagement)")
        SUPPLIER_MEETING = "supplier_meeting", _("other supplier engagement")

    ENGAGEMENT = (Kind.PRE_TENDER_BRIEFING, Kind.SUPPLIER_MEETING)

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    participant_roles = models.JSONField(_("participants' roles"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    materials = models.TextField(_("materials"), blank=True)  # one per line: title, file reference or link
    contracts = models.ManyToManyField("contracts.Contract", blank=True, related_name="activities")
    dossier = models.ForeignKey(  # a pre-tender briefing: the tender it prepared
        "tenders.Dossier",
        verbose_name=_("tender dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefings",
    )
    suppliers = models.JSONField(_("suppliers"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "kind", "date"], name="activity_office_kind_date")]

    def __str__(self) -> str:
        return f"{self.office.code} {self.date}: {self.title}"

    @property
    def engagement(self) -> bool:
        return self.kind in self.ENGAGEMENT

    def material_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


ROLES = {
    "procurement_staff": _("procurement staff"),
    "requisitioners": _("requisitioners and contract managers"),
    "focal_points": _("anti-trafficking focal points"),
    "management": _("management"),
    "suppliers": _("suppliers"),
    "workers": _("workers or their representatives"),
    "civil_society": _("NGOs and civil society"),
    "other_organisations": _("other offices, UN agencies and organisations"),
    "authorities": _("labour inspectors and authorities"),
}
