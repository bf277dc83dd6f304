"""Adding clauses, drafting versions and approving them; every change goes to the audit log."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.web.audit.log import record
from fairprocure.web.clauses import rules
from fairprocure.web.clauses.library import cite
from fairprocure.web.clauses.models import Clause, ClauseVersion


def _sources(keys) -> list[str]:
    keys = [k.strip() for k in keys if k and k.strip()]
    try:
        cite(keys)
    except KeyError as error:
        raise ValueError(f"sources: {error.args[0]}") from None
    return keys


@transaction.atomic
def add_clause(
    user, *, key, type, tier, categories, texts, sources=(), source_note="", licence="", note=""
) -> Clause:
    """The organisation's own clause, with its first version as a draft awaiting approval."""
    key = rules.check_key(key)
    if Clause.objects.filter(key=key).exists():
        raise ValueError(f"key: a clause {key!r} exists already; draft a new version of it instead")
    if type not in Clause.Type.values:
        raise ValueError(f"type: {type!r} is not one of {', '.join(Clause.Type.values)}")
    if tier not in Clause.Tier.values:
        raise ValueError(f"tier: {tier!r} is not one of {', '.join(Clause.Tier.values)}")
    categories = rules.check_categories(categories, set(load_taxonomy().categories))
    keys = _sources(sources)
    if not keys and not source_note.strip():
        raise ValueError("sources: cite at least one source, or say where the text comes from")
    texts = rules.check_texts(texts)
    clause = Clause.objects.create(
        key=key,
        type=type,
        tier=tier,
        categories=categories,
        sources=keys,
        source_note=source_note.strip(),
        licence=licence.strip() or "the organisation's own text",
    )
    version = ClauseVersion.objects.create(clause=clause, number=1, texts=texts, note=note, drafted_by=user)
    record(
        user,
        "clause.added",
        target=f"{key} v1",
        details={
            "clause": key,
            "type": type,
            "tier": tier,
            "categories": categories,
            "title": texts["en"]["title"],
        },
    )
    del version
    return clause


@transaction.atomic
def draft_version(clause: Clause, user, texts: dict, note: str = "") -> ClauseVersion:
    """A new version of ``clause``; it is used by nothing until approved."""
    texts = rules.check_texts(texts)
    if not (note or "").strip():
        raise ValueError("note: say what changed and why")
    Clause.objects.select_for_update().filter(pk=clause.pk).first()
    number = (clause.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ClauseVersion.objects.create(
        clause=clause, number=number, texts=texts, note=note.strip(), drafted_by=user
    )
    record(
        user,
        "clause.drafted",
        target=f"{clause.key} v{number}",
        details={
            "clause": clause.key,
            "version": number,
            "note": version.note,
            "title": texts["en"]["title"],
        },
    )
    return version


@transaction.atomic
def approve(version: ClauseVersion, user) -> ClauseVersion:
    """A focal point approves ``version``: from now on new tenders use it; signed contracts keep theirs."""
    rules.may_approve(version)
    version.approved_by, version.approved_at = user, timezone.now()
    version.approver_name = user.username
    version.save(update_fields=["approved_by", "approved_at", "approver_name"])
    record(
        user,
        "clause.approved",
        target=f"{version.clause.key} v{version.number}",
        details={
            "clause": version.clause.key,
            "version": version.number,
            "drafted_by": getattr(version.drafted_by, "username", ""),
        },
    )
    return version
