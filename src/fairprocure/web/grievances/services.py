"""Grievance cases: the public intake, following a case by its code and secret, triage by focal points,
replies, turning a case into a finding, referrals and the directory of referral contacts.

The reporter's words and contact are sealed before they reach the database; the audit log records
what was done to which case (by its number), never what anyone wrote or who the reporter is.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from fairprocure.duediligence import rules
from fairprocure.duediligence.policy import load_policy
from fairprocure.reference.countries import to_iso3
from fairprocure.web.audit.log import record
from fairprocure.web.confidential import digest, same_secret, seal, unseal
from fairprocure.web.grievances.models import Case, Message, Referral, ReferralContact

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to copy from a phone


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _grouped(text: str) -> str:
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise(code: str) -> str:
    """A code or secret as typed (spaces, lower case, missing dashes) in its canonical form."""
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return _grouped(text)


def _log(actor, action: str, case: Case, **details) -> None:
    record(
        actor,
        action,
        office=case.office,
        target=f"grievance case {case.pk}",
        details={"case": case.pk} | details,
    )


@transaction.atomic
def submit(
    *,
    language: str,
    topic: str,
    account: str,
    office=None,
    workplace: str = "",
    contact: str = "",
    danger: bool = False,
) -> tuple[Case, str]:
    """A new case from the public page; returns it and the secret (shown once, stored only as a digest)."""
    if topic not in Case.Topic.values:
        raise ValueError("topic")
    if not (account or "").strip():
        raise ValueError("account")
    while True:
        code = _grouped(_random(8))
        if not Case.objects.filter(code=code).exists():
            break
    secret = _grouped(_random(12))
    now = timezone.now()
    contact = (contact or "").strip()
    case = Case.objects.create(
        code=code,
        secret_digest=digest(secret),
        language=language if language in ("en", "ru") else "en",
        topic=topic,
        office=office,
        workplace_sealed=seal(workplace.strip()),
        account_sealed=seal(account.strip()),
        contact_sealed=seal(contact),
        anonymous=not contact,
        danger_reported=bool(danger),
        received_at=now,
        acknowledge_by=rules.acknowledge_by(now, load_policy()),
    )
    _log(
        "grievance intake",
        "grievance.received",
        case,
        topic=topic,
        anonymous=case.anonymous,
        danger=case.danger_reported,
    )
    return case, secret


def open_case(code: str, secret: str) -> Case | None:
    """The case of ``code`` if ``secret`` is its secret; else None (the same answer for both mistakes)."""
    case = Case.objects.filter(code=normalise(code)).first()
    if case is None or not same_secret(normalise(secret), case.secret_digest):
        digest("x" * 14)  # about the same work either way
        return None
    return case


@transaction.atomic
def reporter_writes(case: Case, text: str) -> Message:
    if not (text or "").strip():
        raise ValueError("message")
    if case.status == Case.Status.CLOSED:
        raise ValueError("closed")
    message = Message.objects.create(
        case=case, author=Message.Author.REPORTER, body_sealed=seal(text.strip())
    )
    _log("grievance reporter", "grievance.reporter_wrote", case)
    return message


def thread(case: Case) -> list[dict]:
    """The case's messages in clear (the reporter's own page and focal points only)."""
    return [
        {
            "author": m.author,
            "at": m.at,
            "text": unseal(m.body_sealed),
            "by": m.sent_by.username if m.sent_by else "",
        }
        for m in case.messages.select_related("sent_by")
    ]


def mark_read(case: Case) -> None:
    case.messages.filter(author=Message.Author.FOCAL_POINT, read_by_reporter=False).update(
        read_by_reporter=True
    )


def clear(case: Case) -> dict:
    """What the reporter wrote at intake, in clear (focal points only)."""
    return {
        "account": unseal(case.account_sealed),
        "workplace": unseal(case.workplace_sealed),
        "contact": unseal(case.contact_sealed),
        "triage_note": unseal(case.triage_note_sealed),
    }


def timer(case: Case, now: dt.datetime | None = None) -> str:
    return rules.acknowledgement_state(
        case.received_at, case.acknowledged_at, now or timezone.now(), load_policy()
    )


@transaction.atomic
def acknowledge(case: Case, user, message: str) -> Case:
    """Acknowledge receipt to the reporter (a message they read with their code), within the policy's days."""
    if case.acknowledged_at is not None:
        raise ValueError("this case was acknowledged already")
    if not (message or "").strip():
        raise ValueError("write the acknowledgement the reporter will read")
    Message.objects.create(
        case=case, author=Message.Author.FOCAL_POINT, body_sealed=seal(message.strip()), sent_by=user
    )
    case.acknowledged_at = timezone.now()
    case.status = Case.Status.ACKNOWLEDGED
    case.save()
    _log(user, "grievance.acknowledged", case, in_time=timer(case) == rules.IN_TIME)
    return case


@transaction.atomic
def reply(case: Case, user, message: str) -> Message:
    """A focal point's question or reply to the reporter."""
    if not (message or "").strip():
        raise ValueError("write the message")
    item = Message.objects.create(
        case=case, author=Message.Author.FOCAL_POINT, body_sealed=seal(message.strip()), sent_by=user
    )
    if case.acknowledged_at is None:
        case.acknowledged_at = item.at
        case.status = Case.Status.ACKNOWLEDGED
        case.save()
    _log(user, "grievance.replied", case)
    return item


@transaction.atomic
def triage(
    case: Case, user, *, immediate_danger: bool, office=None, contract=None, note: str = "", status: str = ""
) -> Case:
    """Set the danger flag, the office and contract concerned, a sealed note, and the status."""
    case.immediate_danger = bool(immediate_danger)
    if office is not None:
        case.office = office
    if contract is not None:
        if case.office is not None and contract.office_id != case.office_id:
            raise ValueError("the contract belongs to another office")
        case.contract, case.office = contract, contract.office
    if note.strip():
        case.triage_note_sealed = seal(note.strip())
    if status:
        if status not in Case.Status.values:
            raise ValueError(f"status: {status!r}")
        case.status = status
        if status in (Case.Status.RESOLVED, Case.Status.CLOSED) and case.resolved_at is None:
            case.resolved_at = timezone.now()
    case.triaged_by = user
    case.save()
    _log(
        user,
        "grievance.triaged",
        case,
        immediate_danger=case.immediate_danger,
        status=case.status,
        contract=case.contract_id,
    )
    return case


@transaction.atomic
def to_finding(case: Case, user, *, title: str, severity: str, description: str = "", indicators=None):
    """Turn the case into a finding on its contract, in the focal point's words (not the reporter's)."""
    from fairprocure.web.findings.services import raise_finding

    if case.contract is None:
        raise ValueError("link the case to the contract it concerns first")
    finding = raise_finding(
        case.contract,
        user,
        title=title,
        severity=severity,
        source="grievance",
        description=description,
        indicators=indicators,
    )
    case.finding = finding
    if case.status in (Case.Status.RECEIVED, Case.Status.ACKNOWLEDGED):
        case.status = Case.Status.INVESTIGATING
    case.save()
    _log(user, "grievance.finding_raised", case, finding=finding.pk)
    return finding


@transaction.atomic
def refer(
    user,
    *,
    case: Case | None = None,
    interview=None,
    recipient: ReferralContact | None = None,
    recipient_kind: str = "",
    recipient_name: str = "",
    consent: bool,
    consent_note: str = "",
    referred_on: dt.date | None = None,
) -> Referral:
    """Log a referral; it needs the person's consent (ODIHR: survivor-centred referral)."""
    if (case is None) == (interview is None):
        raise ValueError("a referral concerns one grievance case or one interview")
    if not consent:
        raise ValueError(
            "consent: refer only with the person's informed consent; in immediate danger call the emergency "
            "services and record it here once the person agrees"
        )
    if recipient is not None:
        recipient_kind, recipient_name = recipient.kind, recipient.name
    if recipient_kind not in ReferralContact.Kind.values or not (recipient_name or "").strip():
        raise ValueError("recipient: choose a contact from the directory or name the recipient and its kind")
    office = case.office if case is not None else interview.contract.office
    item = Referral.objects.create(
        case=case,
        interview=interview,
        office=office,
        recipient=recipient,
        recipient_kind=recipient_kind,
        recipient_name=recipient_name.strip(),
        consent=True,
        consent_note=(consent_note or "").strip(),
        referred_on=referred_on or timezone.localdate(),
        referred_by=user,
    )
    record(
        user,
        "referral.logged",
        office=office,
        target=f"grievance case {case.pk}" if case else f"interview {interview.pseudonym}",
        details={
            "recipient": item.recipient_name,
            "kind": item.recipient_kind,
            "on": item.referred_on.isoformat(),
        },
    )
    return item


def save_contact(user, contact: ReferralContact | None = None, **fields) -> ReferralContact:
    """Add or edit a directory entry; the country is an ISO code or a name."""
    country = to_iso3(fields.get("country") or "")
    if country is None:
        raise ValueError(f"country: {fields.get('country')!r} is not a known country")
    if fields.get("kind") not in ReferralContact.Kind.values:
        raise ValueError("kind: choose the kind of recipient")
    if not (fields.get("name") or "").strip():
        raise ValueError("name: name the organisation")
    contact = contact or ReferralContact()
    for key in ("kind", "name", "phone", "email", "website", "languages", "notes"):
        setattr(contact, key, (fields.get(key) or "").strip())
    contact.country = country
    contact.updated_by = getattr(user, "username", None) or str(user)
    contact.save()
    record(
        user,
        "referral_contact.saved",
        target=str(contact),
        details={"country": country, "kind": contact.kind},
    )
    return contact


def directory(country: str | None = None):
    found = ReferralContact.objects.all()
    return found.filter(country=country) if country else found
