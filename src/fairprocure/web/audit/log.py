"""Writing to the audit log: the one function every other app calls."""

from __future__ import annotations

from typing import Any

from fairprocure.web.audit.models import AuditEvent


def record(
    actor: Any, action: str, *, office=None, target: str = "", details: dict | None = None
) -> AuditEvent:
    """Append an event; ``actor`` is a user or a name such as ``"cli"``."""
    name = getattr(actor, "username", None) or str(actor)
    return AuditEvent.objects.create(
        actor=name, action=action, office=office, target=str(target)[:300], details=details or {}
    )
