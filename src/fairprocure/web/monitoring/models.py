"""Contract monitoring: a plan per contract, checks against the service's checklist with evidence,
cost-structure checks and pseudonymous worker interviews (answers sealed, see ``web.confidential``)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def evidence_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.UPLOAD_DIR / "monitoring")


class Plan(models.Model):
    """How often a contract in force is checked: the frequency comes from its risk level (policy)."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, related_name="monitoring_plan"
    )
    service = models.CharField(_("service"), max_length=40)  # checklist key (taxonomy category)
    risk_level = models.CharField(_("risk level"), max_length=10)
    frequency_days = models.PositiveIntegerField(_("days between checks"))
    started_on = models.DateField(_("monitoring from"))
    next_due = models.DateField(_("next check due"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due", "pk"]

    def __str__(self) -> str:
        return f"monitoring plan of {self.contract}"


class Check(models.Model):
    class Method(models.TextChoices):
        PAYROLL = "payroll", _("payroll and records review")
        SITE_VISIT = "site_visit", _("site visit")
        WORKER_MEETING = "worker_meeting", _("meeting with workers")
        DESK = "desk", _("desk review of documents")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checks")
    done_on = models.DateField(_("checked on"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    results = models.JSONField(default=dict)  # item key → ok | issue | not_applicable | not_checked
    notes = models.JSONField(default=dict)  # item key → what was seen (no worker's name)
    summary = models.TextField(_("summary"), blank=True)
    workers_covered = models.PositiveIntegerField(_("workers covered"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]

    @property
    def issues(self) -> list[str]:
        return [key for key, outcome in self.results.items() if outcome == "issue"]


class Evidence(models.Model):
    """A document seen in a check: payroll extract, contribution receipts, insurance certificate."""

    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(storage=evidence_storage, upload_to="%Y/%m/")
    name = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class CostCheck(models.Model):
    """The contract's price against the lawful cost of its labour (``fairprocure.labour_cost``)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="cost_checks")
    price = models.DecimalField(_("price"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    inputs = models.JSONField(default=dict)
    lawful_cost = models.DecimalField(_("lawful cost"), max_digits=16, decimal_places=2)
    below = models.BooleanField(_("below lawful cost"))
    breakdown = models.JSONField(default=list)  # [[what, amount], ...]
    wage_floor = models.CharField(_("wage floor"), max_length=500)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class Interview(models.Model):
    """A worker interview: pseudonymous, with consent; the answers sealed (focal points read them)."""

    class Place(models.TextChoices):
        OFF_SITE = "off_site", _("off site")
        PRIVATE_ROOM = "private_room", _("private room at the workplace")
        PHONE = "phone", _("by phone")
        OTHER = "other", _("elsewhere")

    class Sampling(models.TextChoices):
        RANDOM = "random", _("random sample of the roster")
        STRATIFIED = "stratified", _("stratified (shifts, roles, agencies, gender)")
        ALL = "all", _("every worker on site")
        VOLUNTEER = "volunteer", _("volunteers")
        REFERRED = "referred", _("referred by a worker or a grievance")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="interviews")
    pseudonym = models.CharField(_("pseudonym"), max_length=20, unique=True)
    held_on = models.DateField(_("held on"))
    consent = models.BooleanField(_("informed consent given"))
    language = models.CharField(_("language"), max_length=40)
    interpreter = models.BooleanField(_("interpreter present"), default=False)
    place = models.CharField(_("place"), max_length=20, choices=Place.choices)
    no_manager_present = models.BooleanField(_("no manager present"))
    sampling = models.CharField(_("sampling method"), max_length=20, choices=Sampling.choices)
    answers_sealed = models.TextField(blank=True)  # Fernet(JSON {indicator: answer})
    notes_sealed = models.TextField(blank=True)
    indicators = models.JSONField(default=list)  # ILO indicator keys the interviewer found touched
    interviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.pseudonym
