"""Recording and changing activities; every change goes to the audit log."""

from __future__ import annotations

from django.db import transaction

from fairprocure.web.activities.models import ROLES, Activity
from fairprocure.web.audit.log import record


def _check(office, kind, title, participants, roles, contracts, dossier=None) -> None:
    if kind not in Activity.Kind.values:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(Activity.Kind.values)}")
    if not (title or "").strip():
        raise ValueError("title: say what the activity was")
    if participants is None or participants < 0:
        raise ValueError("participants: give the number of people who took part")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"participant roles {sorted(unknown)} are not among {', '.join(ROLES)}")
    if any(c.office_id != office.pk for c in contracts):
        raise ValueError("contracts: link only contracts of the activity's office")
    if dossier is not None:
        if kind != Activity.Kind.PRE_TENDER_BRIEFING:
            raise ValueError("tender dossier: only a pre-tender briefing prepares a tender")
        if dossier.office_id != office.pk:
            raise ValueError("tender dossier: link only a tender of the activity's office")


def _details(activity: Activity) -> dict:
    return {
        "activity": activity.pk,
        "kind": activity.kind,
        "date": str(activity.date),
        "participants": activity.participants,
        "roles": activity.participant_roles,
        "contracts": [c.label for c in activity.contracts.all()],
        "suppliers": activity.suppliers,
        "dossier": activity.dossier.title if activity.dossier_id else None,
    }


@transaction.atomic
def record_activity(
    office,
    user,
    *,
    kind: str,
    title: str,
    date,
    participants: int,
    participant_roles=(),
    summary: str = "",
    materials: str = "",
    contracts=(),
    suppliers=(),
    dossier=None,
) -> Activity:
    """Record an activity; a pre-tender briefing may name the tender ``dossier`` it prepared."""
    contracts, roles = list(contracts), list(participant_roles)
    _check(office, kind, title, participants, roles, contracts, dossier)
    activity = Activity.objects.create(
        office=office,
        kind=kind,
        title=title.strip(),
        date=date,
        participants=participants,
        participant_roles=roles,
        summary=summary.strip(),
        materials=materials.strip(),
        suppliers=list(suppliers),
        dossier=dossier,
        recorded_by=user,
    )
    activity.contracts.set(contracts)
    record(user, "activity.recorded", office=office, target=activity.title, details=_details(activity))
    return activity


@transaction.atomic
def change_activity(activity: Activity, user, **fields) -> Activity:
    contracts = fields.pop("contracts", None)
    merged = {
        "kind": activity.kind,
        "title": activity.title,
        "participants": activity.participants,
        "roles": activity.participant_roles,
    }
    merged.update({k: v for k, v in fields.items() if k in ("kind", "title", "participants")})
    merged["roles"] = fields.get("participant_roles", merged["roles"])
    _check(
        activity.office,
        merged["kind"],
        merged["title"],
        merged["participants"],
        merged["roles"],
        contracts if contracts is not None else [],
        fields.get("dossier", activity.dossier),
    )
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    if contracts is not None:
        activity.contracts.set(contracts)
    record(
        user, "activity.changed", office=activity.office, target=activity.title, details=_details(activity)
    )
    return activity
