"""A user's role and office (``Membership``) and personal API tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    FOCAL_POINT = "focal_point", _("Anti-trafficking focal point")
    MANAGEMENT = "management", _("Management")
    AUDITOR = "auditor", _("Auditor")
    SUPPLIER = "supplier", _("Supplier")  # outside every office: its own questionnaires and evidence only


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    all_offices = models.BooleanField(
        _("all offices"), default=False, help_text=_("A focal point assigned to every office")
    )

    def __str__(self) -> str:
        where = "all offices" if self.all_offices else (self.office.code if self.office else "-")
        return f"{self.user.username}: {self.role} ({where})"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for ``Authorization: Bearer``; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, user) -> str:
        """Create a token for ``user`` and return it in clear; it cannot be shown again."""
        token = "fp_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=_digest(token), prefix=token[:8])
        return token

    @classmethod
    def user_for(cls, token: str):
        """The active user owning an unrevoked ``token``, or None."""
        found = cls.objects.filter(digest=_digest(token), revoked__isnull=True).select_related("user").first()
        return found.user if found and found.user.is_active else None

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])
