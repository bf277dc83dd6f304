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
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        help_text=_("ISO 4217 code of the office's accounts; empty: the currency of its country"),
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def accounts_currency(self) -> str | None:
        """The currency assumed for amounts a file gives without one: the office's, else its country's."""
        return self.currency or country_currency(self.country)


def country_currency(iso3: str) -> str | None:
    """The currency a country uses today (CLDR, via babel), or None."""
    import datetime as dt

    import pycountry
    from babel.numbers import get_territory_currencies

    country = pycountry.countries.get(alpha_3=iso3 or "")
    alpha_2 = country.alpha_2 if country else ("XK" if iso3 == "XKX" else None)
    if not alpha_2:
        return None
    found = get_territory_currencies(alpha_2, dt.date.today())
    return found[0] if found else None


class LedgerMapping(models.Model):
    """How an office's ledger exports are read (a mapping file's content), as a person confirmed it in
    the upload preview; applied to the office's next files with the same columns (the monthly export)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="ledger_mappings")
    headers = models.JSONField(_("columns"), default=list)  # the columns of the file it was confirmed on
    mapping = models.JSONField(_("mapping"), default=dict)  # fairprocure.ingest mapping-file content
    file_name = models.CharField(_("confirmed on"), max_length=300, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.file_name}"
