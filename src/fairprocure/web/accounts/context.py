"""Template context: the user's role and what the navigation may show."""

from __future__ import annotations

from fairprocure.web.accounts.permissions import Action, allowed, is_supplier


def workspace(request) -> dict:
    user = request.user
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return {
        "membership": membership,
        "can_upload": user.is_authenticated and allowed(user, Action.UPLOAD),
        "can_audit": user.is_authenticated and allowed(user, Action.AUDIT),
        "can_confidential": user.is_authenticated and allowed(user, Action.CONFIDENTIAL),
        "is_supplier": user.is_authenticated and is_supplier(user),
    }
