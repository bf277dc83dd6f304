"""Questionnaire services: templates, invitations (with e-mail), answers, evidence and review.

Every change a person makes is in the audit log; e-mails go through Django's mail backend (the console
by default, SMTP when configured: ``FAIRPROCURE_EMAIL_*`` in the settings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fairprocure.web.accounts.models import Membership, Role
from fairprocure.web.audit.log import record
from fairprocure.web.questionnaires import scoring
from fairprocure.web.questionnaires.models import (
    Evidence,
    Invitation,
    Response,
    Template,
    TemplateVersion,
    _digest,
)
from fairprocure.web.suppliers.models import SupplierAccount

INVITATION_DAYS = 30
EVIDENCE_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}


def ensure_default_template() -> TemplateVersion:
    """The shipped labour-rights questionnaire, stored as a version the first time it is needed."""
    spec = scoring.default_template()
    template, _created = Template.objects.get_or_create(slug=spec["slug"])
    found = template.versions.filter(version=spec["version"]).first()
    if found is None:
        found = TemplateVersion.objects.create(
            template=template, version=spec["version"], spec=spec, published_by="fairprocure"
        )
    return found


@transaction.atomic
def publish_version(slug: str, spec: dict, user) -> TemplateVersion:
    """A new version of template ``slug`` (the old versions and their answers stay as they were)."""
    spec = scoring.validate(dict(spec, slug=slug))
    template, _created = Template.objects.get_or_create(slug=slug)
    latest = template.latest()
    version = (latest.version if latest else 0) + 1
    spec["version"] = version
    found = TemplateVersion.objects.create(
        template=template, version=version, spec=spec, published_by=user.username
    )
    record(user, "questionnaire.published", target=str(found), details={"template": slug, "version": version})
    return found


def templates_for_tenders() -> list[dict]:
    """Every questionnaire template's latest version, by name and version (for the tender annex)."""
    ensure_default_template()
    out = []
    for template in Template.objects.order_by("slug"):
        latest = template.latest()
        if latest is not None:
            out.append(
                {
                    "slug": template.slug,
                    "version": latest.version,
                    "title": latest.spec["title"],
                    "id": latest.pk,
                }
            )
    return out


def portal_url(path: str) -> str:
    base = getattr(settings, "FAIRPROCURE_BASE_URL", "http://localhost:8000").rstrip("/")
    return base + path


def _send(invitation: Invitation, token: str, code: str, subject: str, lead: str) -> None:
    with translation.override(invitation.language):
        title = invitation.version.title(invitation.language)
        body = "\n\n".join(
            [
                lead,
                _("Questionnaire: %(title)s (version %(version)s)")
                % {"title": title, "version": invitation.version.version},
                _("Answer by %(due)s. Open the link below, or go to %(portal)s and type the code %(code)s.")
                % {"due": invitation.due.isoformat(), "portal": portal_url("/portal/"), "code": code},
                portal_url(f"/portal/invitations/{token}/") if token else "",
                _("The link and the code expire on %(date)s.")
                % {"date": invitation.expires.date().isoformat()},
            ]
        )
        send_mail(str(subject), body, None, [invitation.email])


@transaction.atomic
def invite(
    supplier,
    office,
    version: TemplateVersion,
    variant: str,
    email: str,
    user,
    *,
    due: dt.date | None = None,
    language: str = "en",
    contract=None,
    days: int = INVITATION_DAYS,
) -> tuple[Invitation, str, str]:
    """Invite ``supplier`` to answer ``version``; send the e-mail; return (invitation, link token, code)."""
    if variant not in scoring.VARIANTS:
        raise ValueError(f"variant: choose {' or '.join(scoring.VARIANTS)}")
    if not email or "@" not in email:
        raise ValueError("email: give the supplier's e-mail address")
    token, code = Invitation.new_secrets()
    now = timezone.now()
    existing = Response.objects.filter(supplier=supplier, version=version, variant=variant).first()
    invitation = Invitation.objects.create(
        supplier=supplier,
        office=office,
        contract=contract,
        version=version,
        variant=variant,
        email=email,
        language=language if language in ("en", "ru") else "en",
        token_digest=_digest(token),
        code_digest=_digest(code),
        expires=now + dt.timedelta(days=days),
        due=due or (now + dt.timedelta(days=days)).date(),
        created_by=user,
        response=existing,
    )
    with translation.override(invitation.language):
        _send(
            invitation,
            token,
            code,
            _("Questionnaire from %(office)s") % {"office": office.name},
            _("%(office)s asks %(supplier)s to answer a questionnaire on labour rights.")
            % {"office": office.name, "supplier": supplier.name},
        )
    record(
        user,
        "questionnaire.invited",
        office=office,
        target=supplier.name,
        details={
            "supplier": supplier.pk,
            "invitation": invitation.pk,
            "version": str(version),
            "variant": variant,
            "email": email,
            "reused_answers": existing is not None,
        },
    )
    return invitation, token, code


@transaction.atomic
def remind(invitation: Invitation, user) -> str:
    """Send a reminder with a fresh code (the old link and code stop working); returns the new code."""
    token, code = Invitation.new_secrets()
    invitation.token_digest, invitation.code_digest = _digest(token), _digest(code)
    invitation.reminded = timezone.now()
    invitation.save(update_fields=["token_digest", "code_digest", "reminded"])
    with translation.override(invitation.language):
        _send(
            invitation,
            token if invitation.status == Invitation.Status.SENT else "",
            code,
            _("Reminder: questionnaire from %(office)s") % {"office": invitation.office.name},
            _("We are still waiting for your answers."),
        )
    record(
        user,
        "questionnaire.reminded",
        office=invitation.office,
        target=invitation.supplier.name,
        details={"invitation": invitation.pk},
    )
    return code


def due_reminders(today: dt.date, days_before: int = 7) -> list[Invitation]:
    """Invitations not yet answered whose due date is within ``days_before`` days or past."""
    found = Invitation.objects.filter(due__lte=today + dt.timedelta(days=days_before)).select_related(
        "response"
    )
    return [
        i
        for i in found
        if not (i.response and i.response.status in (Response.Status.SUBMITTED, Response.Status.ACCEPTED))
    ]


@transaction.atomic
def accept(
    invitation: Invitation, *, user=None, username: str = "", password: str = "", email: str = ""
) -> tuple[Invitation, object]:
    """Accept an invitation: as the supplier's signed-in account, or by creating the account now."""
    if invitation.expired:
        raise ValueError(_("This invitation has expired; ask the buyer for a new one."))
    supplier = invitation.supplier.current()
    if user is None or not user.is_authenticated:
        User = get_user_model()
        username = (username or "").strip()
        if not username:
            raise ValueError(_("Choose a user name."))
        if User.objects.filter(username=username).exists():
            raise ValueError(_("This user name is taken; choose another or sign in first."))
        user = User(username=username, email=email or invitation.email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        membership = Membership(user=user, role=Role.SUPPLIER)
        membership._changed_by = username
        membership.save()
        SupplierAccount.objects.create(user=user, supplier=supplier)
    else:
        account = SupplierAccount.objects.filter(user=user).first()
        if account is None or account.supplier.current().pk != supplier.pk:
            raise ValueError(_("This invitation is for another supplier."))
    response, _created = Response.objects.get_or_create(
        supplier=supplier,
        version=invitation.version,
        variant=invitation.variant,
        defaults={"language": invitation.language},
    )
    invitation.status, invitation.response = Invitation.Status.ACCEPTED, response
    invitation.save(update_fields=["status", "response"])
    record(
        user,
        "questionnaire.accepted",
        office=invitation.office,
        target=supplier.name,
        details={"invitation": invitation.pk, "response": response.pk},
    )
    return invitation, user


def _apply_answers(response: Response, raw: dict) -> scoring.Result:
    spec = response.version.spec
    answers = dict(response.answers)
    errors = []
    for q in scoring.questions_for(spec, response.variant):
        if q["type"] == "file":
            answers[q["id"]] = list(response.evidence.filter(question=q["id"]).values_list("pk", flat=True))
            continue
        if q["id"] in raw:
            try:
                answers[q["id"]] = scoring.clean_answer(q, raw[q["id"]])
            except ValueError as exc:
                errors.append(str(exc))
    if errors:
        raise ValueError("; ".join(errors))
    response.answers = answers
    result = scoring.score(spec, response.variant, answers)
    response.risk = result.risk
    response.red_flags = [
        {"question": f.question, "en": f.text["en"], "ru": f.text["ru"]} for f in result.red_flags
    ]
    return result


@transaction.atomic
def save_draft(response: Response, raw: dict, user, language: str = "") -> scoring.Result:
    if response.status in (Response.Status.SUBMITTED, Response.Status.ACCEPTED):
        raise ValueError(
            _("These answers are submitted; they can be changed when the buyer asks for clarification.")
        )
    result = _apply_answers(response, raw)
    if language in ("en", "ru"):
        response.language = language
    response.save()
    record(
        user,
        "questionnaire.draft_saved",
        target=response.supplier.name,
        details={"response": response.pk, "answered": result.answered},
    )
    return result


def submit(
    response: Response, raw: dict, acknowledged: list[str], user, language: str = ""
) -> scoring.Result:
    """Submit the answers: every required question answered, every recommendation acknowledged.

    The answers are saved first, so a refused submission keeps them (and shows the recommendations).
    """
    if response.status in (Response.Status.SUBMITTED, Response.Status.ACCEPTED):
        raise ValueError(_("These answers are submitted already."))
    with transaction.atomic():
        result = _apply_answers(response, raw)
        if language in ("en", "ru"):
            response.language = language
        response.save()
    if result.missing:
        raise ValueError(
            _("Answer every required question first: %(ids)s") % {"ids": ", ".join(result.missing)}
        )
    pending = [r.question for r in result.recommendations if r.question not in set(acknowledged)]
    if pending:
        raise ValueError(
            _("Acknowledge every recommendation before submitting: %(ids)s") % {"ids": ", ".join(pending)}
        )
    with transaction.atomic():
        response.acknowledged = sorted({r.question for r in result.recommendations})
        response.status, response.submitted = Response.Status.SUBMITTED, timezone.now()
        response.save()
        record(
            user,
            "questionnaire.submitted",
            target=response.supplier.name,
            details={
                "response": response.pk,
                "risk": result.risk,
                "red_flags": len(result.red_flags),
                "recommendations_acknowledged": response.acknowledged,
            },
        )
    return result


@transaction.atomic
def review(response: Response, decision: str, note: str, user, office=None) -> Response:
    """The buyer accepts the answers, or asks for clarification (the supplier may then change them)."""
    if response.status != Response.Status.SUBMITTED:
        raise ValueError(_("Only submitted answers can be reviewed."))
    if decision == "accept":
        response.status = Response.Status.ACCEPTED
    elif decision == "clarify":
        if len((note or "").strip()) < 10:
            raise ValueError(_("Say what needs clarifying (at least 10 characters)."))
        response.status = Response.Status.CLARIFICATION
    else:
        raise ValueError("decision: accept or clarify")
    response.reviewed, response.reviewed_by, response.review_note = (
        timezone.now(),
        user.username,
        (note or "").strip(),
    )
    response.save()
    record(
        user,
        f"questionnaire.{'accepted_answers' if decision == 'accept' else 'clarification_asked'}",
        office=office,
        target=response.supplier.name,
        details={"response": response.pk, "note": response.review_note},
    )
    return response


def evidence_dir() -> Path:
    """Where evidence files are kept: under FAIRPROCURE_HOME, outside the static and web roots."""
    return Path(settings.HOME) / "evidence"


@transaction.atomic
def upload_evidence(
    supplier,
    stream: BinaryIO,
    name: str,
    title: str,
    expires_on: dt.date,
    user,
    response: Response | None = None,
    question: str = "",
) -> Evidence:
    """Store an evidence file (PDF, PNG or JPEG, at most 10 MB, content checked) with its expiry date."""
    name = Path(name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValueError(_("%(name)s: upload a PDF, PNG or JPEG file") % {"name": name or "?"})
    if expires_on is None:
        raise ValueError(_("Say until when the document is valid."))
    target_dir = evidence_dir() / str(supplier.pk)
    target_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(dir=target_dir, suffix=".part")
    temp = Path(temp_name)
    head = b""
    with open(handle, "wb") as out:
        while chunk := stream.read(1 << 20):
            if not head:
                head = chunk[:8]
            size += len(chunk)
            if size > EVIDENCE_MAX_BYTES:
                out.close()
                temp.unlink()
                raise ValueError(_("%(name)s is larger than 10 MB") % {"name": name})
            digest.update(chunk)
            out.write(chunk)
    if not head.startswith(MAGIC[suffix]):
        temp.unlink()
        raise ValueError(
            _("%(name)s is not a real %(type)s file") % {"name": name, "type": suffix[1:].upper()}
        )
    sha = digest.hexdigest()
    target = target_dir / f"{sha[:20]}{suffix}"
    temp.replace(target)
    evidence = Evidence.objects.create(
        supplier=supplier,
        response=response,
        question=question,
        title=(title or name)[:200],
        file_name=name,
        content_type=EVIDENCE_TYPES[suffix],
        size=size,
        sha256=sha,
        stored_path=str(target),
        expires_on=expires_on,
        uploaded_by=user.username,
    )
    if response is not None and question:
        answers = dict(response.answers)
        answers[question] = list(response.evidence.filter(question=question).values_list("pk", flat=True))
        response.answers = answers
        response.save(update_fields=["answers", "updated"])
    record(
        user,
        "supplier.evidence_uploaded",
        target=supplier.name,
        details={
            "evidence": evidence.pk,
            "title": evidence.title,
            "file": name,
            "bytes": size,
            "valid_until": expires_on.isoformat(),
        },
    )
    return evidence
