"""Grievances from workers: a public intake (no account), cases followed by a code and a secret,
triage by focal points, referrals and the organisation's directory of referral contacts.

What a reporter writes and who they are is sealed (``web.confidential``): the database holds only
ciphertext, and only focal points' pages and the reporter's own page open it. No IP address is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        INVESTIGATING = "investigating", _("under investigation")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class Topic(models.TextChoices):
        PAY = "pay", _("pay, deductions or overtime")
        DOCUMENTS = "documents", _("identity documents taken")
        FEES = "fees", _("recruitment fees or debts")
        THREATS = "threats", _("threats, violence or harassment")
        FREEDOM = "freedom", _("not free to leave")
        CONDITIONS = "conditions", _("unsafe work or housing")
        OTHER = "other", _("something else")

    code = models.CharField(max_length=20, unique=True)
    secret_digest = models.CharField(max_length=64)
    language = models.CharField(max_length=5)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    workplace_sealed = models.TextField(blank=True)  # where it happens, in the reporter's words
    account_sealed = models.TextField()  # what happened, in the reporter's words
    contact_sealed = models.TextField(blank=True)  # name, phone, e-mail: only if the reporter gave one
    anonymous = models.BooleanField(default=True)
    danger_reported = models.BooleanField(default=False)  # the reporter said they are in danger now
    received_at = models.DateTimeField(db_index=True)
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)  # the focal point's triage
    triage_note_sealed = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    finding = models.ForeignKey(
        "findings.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"case {self.pk}"  # never the code: it is half of what opens the case


class Message(models.Model):
    """A message on a case: the reporter's (later answers) or a focal point's (questions, replies)."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        FOCAL_POINT = "focal_point", _("focal point")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=12, choices=Author.choices)
    body_sealed = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    read_by_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]


class ReferralContact(models.Model):
    """The organisation's directory: whom to refer to in a country (inspectorate, police, NGO, NRM)."""

    class Kind(models.TextChoices):
        LABOUR_INSPECTORATE = "labour_inspectorate", _("labour inspectorate")
        POLICE = "police", _("police")
        NGO = "ngo", _("NGO or victim support")
        NRM = "nrm", _("national referral mechanism")
        HOTLINE = "hotline", _("hotline")
        OTHER = "other", _("other")

    country = models.CharField(_("country"), max_length=3)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.CharField(max_length=150)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country}, {self.get_kind_display()})"


class Referral(models.Model):
    """A referral of a case or an interview's worker to a recipient, with the person's consent."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    interview = models.ForeignKey(
        "monitoring.Interview", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        ReferralContact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_kind = models.CharField(_("recipient"), max_length=20, choices=ReferralContact.Kind.choices)
    recipient_name = models.CharField(_("recipient name"), max_length=300)
    consent = models.BooleanField(_("the person consented"))
    consent_note = models.TextField(_("how consent was given"), blank=True)
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
