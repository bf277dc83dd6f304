"""Creating users and tokens, shared by the CLI and tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from fairprocure.web.accounts.models import ApiToken, Membership, Role
from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import Office

OFFICE_ROLES = {Role.PROCUREMENT_OFFICER, Role.FOCAL_POINT}


@transaction.atomic
def add_user(
    username: str,
    role: str,
    password: str,
    office_code: str | None = None,
    all_offices: bool = False,
    actor: str = "cli",
    email: str = "",
):
    """Create a user with a role; procurement officers and focal points need an office.

    ``email`` is where password-reset links go (none: only an administrator can reset the password).
    """
    if role not in Role.values:
        raise ValueError(f"user {username}: unknown role {role!r}; choose one of {', '.join(Role.values)}")
    office = None
    if office_code:
        office = Office.objects.filter(code=office_code).first()
        if office is None:
            raise ValueError(
                f"user {username}: no office {office_code!r}; add it with 'fairprocure offices add'"
            )
    elif role in OFFICE_ROLES and not all_offices:
        raise ValueError(f"user {username}: role {role} needs --office CODE")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"user {username} exists already")
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValueError(f"user {username}: {email!r} is not an e-mail address") from exc
    user = User(
        username=username,
        email=email,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    membership = Membership(user=user, role=role, office=office, all_offices=all_offices)
    membership._changed_by = actor
    membership.save()
    return user


def issue_token(username: str, actor: str = "cli") -> str:
    user = get_user_model().objects.get(username=username)
    token = ApiToken.issue(user)
    record(actor, "token.issued", target=username, details={"prefix": token[:8]})
    return token


def revoke_tokens(username: str, actor: str = "cli") -> int:
    tokens = list(ApiToken.objects.filter(user__username=username, revoked__isnull=True))
    for token in tokens:
        token.revoke()
    record(actor, "token.revoked", target=username, details={"count": len(tokens)})
    return len(tokens)


def unlock(username: str, actor: str = "cli") -> int:
    """Lift a login lockout of ``username`` (from every address); returns the addresses cleared."""
    from axes.utils import reset

    cleared = reset(username=username)
    record(actor, "user.unlocked", target=username, details={"addresses_cleared": cleared})
    return cleared


@transaction.atomic
def set_password(username: str, password: str, actor: str = "cli") -> None:
    """Set ``username``'s password (checked like any other) and lift any lockout of the name."""
    user = get_user_model().objects.get(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "password.set", target=username)
    unlock(username, actor)


def set_email(username: str, email: str, actor: str = "cli") -> None:
    """Record where ``username``'s password-reset links go."""
    from django.core.validators import validate_email

    validate_email(email)
    get_user_model().objects.filter(username=username).update(email=email)
    record(actor, "user.email_changed", target=username)
