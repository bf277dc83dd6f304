"""The single permission mechanism: which role may do what, in which offices.

Every view and every API endpoint asks :func:`authorize` (or filters with :func:`visible_offices`);
nothing else decides access. ``OWN`` means the user's own office only, ``ALL`` every office.
A focal point with ``all_offices`` set has ``ALL`` where the role table says ``OWN``.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from fairprocure.web.accounts.models import Role
from fairprocure.web.offices.models import Office


class Action(StrEnum):
    VIEW = "view"  # dashboard, register, line pages, exports, screening status
    UPLOAD = "upload"  # upload or import a file to screen
    DECIDE = "decide"  # confirm, raise or lower a line's risk
    AUDIT = "audit"  # read the audit log
    ASSESS = "assess"  # assess a contract: confirm or reject "potentially high risk"
    ACT = "act"  # move a contract's status, report progress on actions, record activities
    PLAN = "plan"  # draft an office's action plan: goals, actions, the starter plan
    APPROVE = "approve"  # approve an office's action plan
    LIBRARY = "library"  # edit the organisation's action library
    SUPPLIERS = "suppliers"  # edit the supplier registry: merge, split, identifiers, supply-chain maps
    INVITE = "invite"  # invite a supplier to a questionnaire, review its answers
    SANCTION = "sanction"  # suspend, exclude or reinstate a supplier
    PORTAL = "portal"  # a supplier's own portal: its questionnaires, evidence and findings addressed to it
    CONFIDENTIAL = (
        "confidential"  # read and handle worker interviews, grievances and referrals (focal points only)
    )
    # classify lines (the review queue): an office's decisions in its scope; decisions for the whole
    # organisation and retraining its text model only where the scope is every office (see everywhere())
    CLASSIFY = "classify"


OWN, ALL = "own", "all"

RULES: dict[str, dict[Action, str]] = {
    # Workers' words and identities are for focal points alone: not even an administrator reads them.
    Role.ADMINISTRATOR: {action: ALL for action in Action if action != Action.CONFIDENTIAL},
    Role.PROCUREMENT_OFFICER: {
        Action.VIEW: OWN,
        Action.UPLOAD: OWN,
        Action.ACT: OWN,
        Action.SUPPLIERS: OWN,  # the registry belongs to no office: any procurement officer may edit it
        Action.INVITE: OWN,
    },
    Role.FOCAL_POINT: {
        Action.VIEW: OWN,
        Action.DECIDE: OWN,
        Action.ASSESS: OWN,
        Action.ACT: OWN,
        Action.PLAN: OWN,
        Action.LIBRARY: OWN,  # the library belongs to no office: any focal point may edit it
        Action.SUPPLIERS: OWN,
        Action.INVITE: OWN,
        Action.SANCTION: OWN,  # a supplier's status holds in every office
        Action.CONFIDENTIAL: OWN,  # cases with no office yet: every focal point (see grievances)
        Action.CLASSIFY: OWN,
    },
    Role.MANAGEMENT: {Action.VIEW: ALL, Action.APPROVE: ALL, Action.SANCTION: ALL},
    Role.AUDITOR: {Action.VIEW: ALL, Action.AUDIT: ALL},
    # A supplier's account belongs to no office; OWN means its own supplier (see portal_supplier).
    Role.SUPPLIER: {Action.PORTAL: OWN},
}


def _scope(user, action: Action) -> str | None:
    membership = getattr(user, "membership", None) if user.is_authenticated and user.is_active else None
    if membership is None:
        return None
    scope = RULES.get(membership.role, {}).get(action)
    if scope == OWN and membership.role == Role.FOCAL_POINT and membership.all_offices:
        return ALL
    return scope


def allowed(user, action: Action, office: Office | None = None) -> bool:
    """May ``user`` do ``action`` in ``office`` (or anywhere at all, when office is None)?"""
    scope = _scope(user, action)
    if scope is None:
        return False
    if scope == ALL or office is None:
        return True
    return office.pk == user.membership.office_id


def everywhere(user, action: Action) -> bool:
    """May ``user`` do ``action`` in every office (and so for the organisation as a whole)?"""
    return _scope(user, action) == ALL


def authorize(user, action: Action, office: Office | None = None) -> None:
    """Raise ``PermissionDenied`` unless :func:`allowed`."""
    if not allowed(user, action, office):
        where = f" in office {office.code}" if office else ""
        raise PermissionDenied(f"your role may not {action.value}{where}")


def sees_every_office(user, action: Action = Action.VIEW) -> bool:
    """Whether ``user`` may do ``action`` in every office (no office condition is needed)."""
    return _scope(user, action) == ALL


def visible_offices(user, action: Action = Action.VIEW):
    """Offices in which ``user`` may do ``action``, as a queryset."""
    scope = _scope(user, action)
    if scope == ALL:
        return Office.objects.all()
    if scope == OWN:
        return Office.objects.filter(pk=user.membership.office_id)
    return Office.objects.none()


def requires(action: Action):
    """View decorator: log in first, then the role must allow ``action`` somewhere (office checks follow)."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            authorize(request.user, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def office_in_scope(user, code: str | None, action: Action = Action.VIEW) -> Office | None:
    """The office named by ``code`` if ``user`` may do ``action`` there (None for no code); else deny."""
    if not code:
        return None
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise PermissionDenied(f"no office {code!r} that you may see")
    authorize(user, action, office)
    return office


def is_supplier(user) -> bool:
    """Is ``user`` a supplier's account (which may use the supplier portal and nothing else)?"""
    membership = getattr(user, "membership", None) if user.is_authenticated and user.is_active else None
    return membership is not None and membership.role == Role.SUPPLIER


def portal_supplier(user):
    """The supplier a supplier's account acts for; ``PermissionDenied`` for any other user."""
    authorize(user, Action.PORTAL)
    from fairprocure.web.suppliers.models import SupplierAccount

    account = SupplierAccount.objects.filter(user=user).select_related("supplier").first()
    if account is None:
        raise PermissionDenied("this account is not linked to a supplier")
    return account.supplier.current()


def authorize_portal(user, supplier) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is an account of ``supplier`` (after merges)."""
    if portal_supplier(user).pk != supplier.current().pk:
        raise PermissionDenied("this belongs to another supplier")
