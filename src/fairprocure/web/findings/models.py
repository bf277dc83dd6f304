"""Findings and their remediation: severity, the ILO indicators touched, the corrective action plan
(root cause, corrective and preventive action, owner, deadline by severity, evidence, verification,
closure), remedy for workers, and the escalation ladder per contract and supplier.

A finding is written by a focal point or procurement officer in their own words: it never carries a
worker's words or identity (those stay sealed in the interview or grievance it came from).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from fairprocure.duediligence import rules


def evidence_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.UPLOAD_DIR / "findings")


class Finding(models.Model):
    class Severity(models.TextChoices):
        CRITICAL = "critical", _("critical")
        MAJOR = "major", _("major")
        MINOR = "minor", _("minor")

    class Source(models.TextChoices):
        CHECK = "check", _("monitoring check")
        INTERVIEW = "interview", _("worker interview")
        QUESTIONNAIRE = "questionnaire", _("supplier questionnaire")
        GRIEVANCE = "grievance", _("grievance")
        AUDIT = "audit", _("audit")

    class Status(models.TextChoices):
        OPEN = rules.OPEN, _("open")
        PLAN_AGREED = rules.PLAN_AGREED, _("corrective plan agreed")
        EVIDENCE_SUBMITTED = rules.EVIDENCE_SUBMITTED, _("evidence submitted")
        VERIFIED = rules.VERIFIED, _("verified")
        CLOSED = rules.CLOSED, _("closed")

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="findings")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="findings")
    supplier = models.CharField(_("supplier"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    check_record = models.ForeignKey(
        "monitoring.Check", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    interview = models.ForeignKey(
        "monitoring.Interview", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    title = models.CharField(_("finding"), max_length=300)
    description = models.TextField(_("what was found"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    indicators = models.JSONField(default=list)  # ILO indicator keys
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("corrective action deadline"))
    # The corrective action plan:
    root_cause = models.TextField(_("root cause"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    evidence_note = models.TextField(_("evidence of the action taken"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Addressed to the supplier: shown in its portal from then on (a person's deliberate step).
    addressed_on = models.DateField(_("addressed to the supplier on"), null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["status", "deadline", "pk"]
        indexes = [models.Index(fields=["office", "status"], name="finding_office_status")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.title} ({self.contract.label}, {self.get_status_display()})"

    @property
    def plan_complete(self) -> bool:
        return all(
            (v or "").strip()
            for v in (self.root_cause, self.corrective_action, self.preventive_action, self.owner)
        )


class FindingEvidence(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(storage=evidence_storage, upload_to="%Y/%m/")
    name = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class Remedy(models.Model):
    """What workers received: back pay, reimbursed recruitment fees, compensation."""

    class Kind(models.TextChoices):
        BACK_PAY = "back_pay", _("back pay")
        CONTRIBUTIONS = "contributions", _("social contributions paid in arrears")
        FEES = "fees", _("recruitment fees reimbursed")
        COMPENSATION = "compensation", _("compensation")
        DOCUMENTS = "documents", _("identity documents returned")
        OTHER = "other", _("other")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(_("remedy"), max_length=20, choices=Kind.choices)
    workers = models.PositiveIntegerField(_("workers remedied"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_eur = models.FloatField(null=True, blank=True)
    paid_on = models.DateField(_("paid or done on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]


class Escalation(models.Model):
    """One step of the escalation ladder for a contract's supplier, with its reason."""

    class Step(models.TextChoices):
        ENGAGEMENT = rules.ENGAGEMENT, _("engagement")
        CORRECTIVE_PLAN = rules.CORRECTIVE_PLAN, _("corrective action plan")
        SUSPENSION = rules.SUSPENSION, _("suspension until reform")
        TERMINATION = rules.TERMINATION, _("termination")
        EXCLUSION = rules.EXCLUSION, _("exclusion")
        REINSTATED = rules.REINSTATED, _("reinstated after reform")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="escalations")
    supplier = models.CharField(_("supplier"), max_length=300)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    reason = models.TextField(_("reason"))
    reform_required = models.TextField(_("reform required"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supplier_status = models.CharField(max_length=300, blank=True)  # what the registry said
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
