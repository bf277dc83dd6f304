"""Questionnaire templates and versions, invitations, a supplier's answers and its evidence.

A supplier answers a template version **once** (:class:`Response`, one per supplier, version and
variant); every office's invitation to the same version links to that response, so answers are reused
across offices and tenders. A published version never changes: editing a template makes a new version.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    slug = models.SlugField(unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug

    def latest(self) -> TemplateVersion | None:
        return self.versions.order_by("-version").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    spec = models.JSONField()
    published = models.DateTimeField(auto_now_add=True)
    published_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["template__slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.slug} v{self.version}"

    def title(self, language: str = "en") -> str:
        return self.spec["title"].get(language) or self.spec["title"]["en"]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(models.Model):
    """An office invites a supplier to answer a questionnaire; accepted by link or by code before expiry."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="invitations")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="invitations")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="invitations")
    variant = models.CharField(_("variant"), max_length=10)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=5, default="en")
    token_digest = models.CharField(max_length=64, unique=True)  # the link's secret, hashed
    code_digest = models.CharField(max_length=64, unique=True)  # the code typed in the portal, hashed
    expires = models.DateTimeField(_("expires"))
    due = models.DateField(_("answer by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    response = models.ForeignKey(
        "Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    reminded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    @staticmethod
    def new_secrets() -> tuple[str, str]:
        """A link token and a short code (shown once, stored hashed)."""
        code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
        return secrets.token_urlsafe(24), code

    @classmethod
    def find(cls, token: str = "", code: str = "") -> Invitation | None:
        if token:
            return cls.objects.filter(token_digest=_digest(token)).first()
        if code:
            return cls.objects.filter(code_digest=_digest(code.strip().upper())).first()
        return None

    @property
    def expired(self) -> bool:
        return self.status != self.Status.ACCEPTED and timezone.now() > self.expires


class Response(models.Model):
    """A supplier's answers to one template version and variant; drafted, submitted, then reviewed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CLARIFICATION = "clarification", _("clarification asked")
        ACCEPTED = "accepted", _("accepted")

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="responses")
    variant = models.CharField(max_length=10)
    language = models.CharField(max_length=5, default="en")
    answers = models.JSONField(default=dict)
    acknowledged = models.JSONField(default=list)  # question ids whose recommendation was acknowledged
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAFT)
    risk = models.FloatField(null=True)
    red_flags = models.JSONField(default=list)
    submitted = models.DateTimeField(null=True, blank=True)
    reviewed = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    review_note = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "version", "variant"], name="one_response_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.version} ({self.variant})"


class Evidence(models.Model):
    """A document a supplier uploaded, with the date it stops being valid; stored outside the web root."""

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="evidence")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    question = models.CharField(max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_path = models.CharField(max_length=500)
    expires_on = models.DateField(_("valid until"))
    uploaded_by = models.CharField(max_length=150)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded", "-pk"]

    def expired_on(self, today) -> bool:
        return self.expires_on < today
