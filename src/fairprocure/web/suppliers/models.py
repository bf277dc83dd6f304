"""The supplier registry: one supplier behind many spellings and identifiers, its status, its accounts
and the supply chains of its contracts.

Register lines are never changed: a supplier's lines are those whose ``supplier_name`` is one of its
spellings (:class:`SupplierName`). A merge files one supplier's spellings, identifiers and records under
another and keeps the merged one, pointing at it (``merged_into``); a split moves spellings to a new
supplier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairprocure.web.suppliers import status as st


class Supplier(models.Model):
    class Status(models.TextChoices):
        ACTIVE = st.ACTIVE, _("active")
        SUSPENDED = st.SUSPENDED, _("suspended until reform")
        EXCLUDED = st.EXCLUDED, _("excluded")

    name = models.CharField(_("name"), max_length=500)
    key = models.CharField(max_length=500, db_index=True)  # normalised name (fairprocure.entities)
    country = models.CharField(_("country"), max_length=3, blank=True)
    kind = models.CharField(
        _("supplies"),
        max_length=10,
        choices=[
            ("services", _("services (workforce on site)")),
            ("goods", _("goods (sites and supply chain)")),
        ],
        default="goods",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    reform_required = models.TextField(_("reform required"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status_changed = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def current(self) -> Supplier:
        """This supplier, or the one it was merged into."""
        supplier, seen = self, set()
        while supplier.merged_into_id and supplier.pk not in seen:
            seen.add(supplier.pk)
            supplier = supplier.merged_into
        return supplier

    @property
    def sanctioned(self) -> bool:
        return self.status != st.ACTIVE

    def spellings(self) -> list[str]:
        return list(self.names.values_list("name", flat=True))


class SupplierName(models.Model):
    """One spelling of a supplier's name as it appears in the data (each spelling has one supplier)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("spelling"), max_length=500, unique=True)
    key = models.CharField(max_length=500, db_index=True)
    how = models.CharField(max_length=20, default="register")  # register / person / portal / merge
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]


class Identifier(models.Model):
    """A company or VAT number, an OCDS organisation id or an Open Supply Hub id."""

    class Scheme(models.TextChoices):
        COMPANY = "company", _("company number")
        VAT = "vat", _("VAT number")
        OCDS = "ocds", _("OCDS organisation id")
        OSH = "osh", _("Open Supply Hub id")
        OTHER = "other", _("other")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    value = models.CharField(_("identifier"), max_length=200)
    normalised = models.CharField(max_length=220, unique=True)

    class Meta:
        ordering = ["scheme", "value"]


class StatusChange(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=10)
    new = models.CharField(max_length=10)
    reason = models.TextField(_("reason"))
    reform_required = models.TextField(_("reform required"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    changed_by = models.CharField(max_length=150)  # a user name, or e.g. "escalation"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class SupplierAccount(models.Model):
    """A supplier's portal account: a user with the supplier role, acting for one supplier."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_account"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="accounts")
    created = models.DateTimeField(auto_now_add=True)


class SupplyChainNode(models.Model):
    """One link of a contract's supply chain: contractor → subcontractor or agency → site → component."""

    class Kind(models.TextChoices):
        CONTRACTOR = "contractor", _("contractor")
        SUBCONTRACTOR = "subcontractor", _("subcontractor")
        LABOUR_AGENCY = "labour_agency", _("labour agency")
        SITE = "site", _("site")
        FACTORY = "factory", _("factory")
        COMPONENT = "component", _("component")
        RAW_MATERIAL = "raw_material", _("raw material")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="supply_chain")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("tier"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=3, blank=True)
    role = models.CharField(_("role"), max_length=300, blank=True)  # e.g. "final assembly", "battery cells"
    good = models.CharField(_("good"), max_length=120, blank=True)  # as on the DOL list, e.g. "Electronics"
    final_assembly = models.BooleanField(_("factory of final production"), default=False)
    osh_id = models.CharField(_("Open Supply Hub ID"), max_length=40, blank=True)
    identifier = models.CharField(_("other identifier"), max_length=120, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    disclosed_on = models.DateField(_("date of disclosure"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[("achieved", _("disclosed")), ("due_diligence", _("due diligence shown instead"))],
        default="achieved",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
