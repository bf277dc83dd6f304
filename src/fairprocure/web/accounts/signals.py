"""Every change of a role or office assignment goes to the audit log, whoever makes it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fairprocure.web.accounts.models import Membership
from fairprocure.web.audit.log import record


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance: Membership, created: bool, **kwargs) -> None:
    record(
        getattr(instance, "_changed_by", "system"),
        "permission.granted" if created else "permission.changed",
        office=instance.office,
        target=instance.user.username,
        details={"role": instance.role, "all_offices": instance.all_offices},
    )


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    record(getattr(instance, "_changed_by", "system"), "permission.revoked", target=instance.user.username)
