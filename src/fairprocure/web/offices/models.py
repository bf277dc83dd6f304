"""An organisation and its offices; users belong to offices (see accounts)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> Organisation:
        """The organisation of this workspace (one per installation unless more are created)."""
        return cls.objects.order_by("pk").first() or cls.objects.create(name="Organisation")


class Office(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offices")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=3, help_text=_("ISO 3166-1 alpha-3 code"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
