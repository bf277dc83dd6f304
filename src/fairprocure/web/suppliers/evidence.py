"""What the supplier registry tells the screening: each supplier's evidence, as points with reasons.

:func:`evidence_items` is the rule (plain values in, :class:`EvidenceItem` out, tested without a
server); :func:`collect` reads the records and :func:`write_csv` writes them in the format of
``fairprocure screen --supplier-evidence`` — one row per spelling key of the supplier — which the web
screening passes to the library, so the command line and the workspace take evidence the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from fairprocure.entities.names import supplier_key
from fairprocure.score.evidence import EvidenceItem
from fairprocure.score.policy import SupplierWeights
from fairprocure.web.questionnaires.scoring import score, screening_points
from fairprocure.web.suppliers import status as st


@dataclass
class ResponseFacts:
    title: str
    version: int
    variant: str
    status: str  # draft / submitted / clarification / accepted
    submitted: dt.date | None
    spec: dict
    answers: dict


@dataclass
class InvitationFacts:
    office: str
    title: str
    version: int
    due: dt.date
    response_status: str | None  # None: never started


@dataclass
class SupplierFacts:
    name: str
    status: str = st.ACTIVE
    status_reason: str = ""
    review_date: dt.date | None = None
    responses: list[ResponseFacts] = field(default_factory=list)
    invitations: list[InvitationFacts] = field(default_factory=list)
    evidence: list[tuple[str, dt.date]] = field(default_factory=list)  # (title, valid until)


def evidence_items(facts: SupplierFacts, weights: SupplierWeights, today: dt.date) -> list[EvidenceItem]:
    """The supplier's evidence items for the screening, each with its points, reason and source."""
    items: list[EvidenceItem] = []
    for r in facts.responses:
        if r.status != "accepted":
            continue
        result = score(r.spec, r.variant, r.answers)
        points = screening_points(result, weights.questionnaire, weights.red_flag)
        answered = r.submitted.isoformat() if r.submitted else ""
        flags = "; ".join(f.text["en"] for f in result.red_flags)
        said = f"{r.title} questionnaire ({r.variant}), reviewed: risk {result.risk:.0f}/100"
        said += f", red flags: {flags}" if flags else ", no red flag"
        items.append(EvidenceItem(points, said, f"questionnaire v{r.version}, answered {answered}", answered))
    for inv in facts.invitations:
        if inv.due >= today or inv.response_status in ("submitted", "accepted", "clarification"):
            continue
        if inv.response_status is None:
            points, said = (
                weights.unanswered,
                f"{inv.title} questionnaire not answered (due {inv.due.isoformat()})",
            )
        else:
            points, said = (
                weights.incomplete,
                f"{inv.title} questionnaire incomplete (due {inv.due.isoformat()})",
            )
        items.append(
            EvidenceItem(points, said, f"invitation from {inv.office}, questionnaire v{inv.version}", "")
        )
    for title, until in facts.evidence:
        if until < today:
            items.append(
                EvidenceItem(
                    weights.expired_evidence,
                    f"evidence expired: {title} (valid until {until.isoformat()})",
                    "supplier portal",
                    until.isoformat(),
                )
            )
    if facts.status == st.SUSPENDED:
        review = f", review {facts.review_date.isoformat()}" if facts.review_date else ""
        items.append(
            EvidenceItem(
                weights.suspended,
                f"suspended until reform: {facts.status_reason}{review}",
                "supplier registry",
                "",
            )
        )
    elif facts.status == st.EXCLUDED:
        items.append(
            EvidenceItem(weights.excluded, f"excluded: {facts.status_reason}", "supplier registry", "")
        )
    return items


def collect(weights: SupplierWeights, today: dt.date) -> dict[str, tuple[list[str], list[EvidenceItem]]]:
    """Every supplier with evidence: supplier pk → (its spellings, its items)."""
    from django.db.models import Q

    from fairprocure.web.questionnaires.models import Evidence, Invitation, Response
    from fairprocure.web.suppliers.models import Supplier

    relevant = (
        Supplier.objects.filter(merged_into__isnull=True)
        .filter(
            ~Q(status=st.ACTIVE)
            | Q(responses__isnull=False)
            | Q(invitations__isnull=False)
            | Q(evidence__isnull=False)
        )
        .distinct()
    )
    out = {}
    for supplier in relevant.prefetch_related("names"):
        facts = SupplierFacts(supplier.name, supplier.status, supplier.status_reason, supplier.review_date)
        for r in Response.objects.filter(supplier=supplier).select_related("version"):
            facts.responses.append(
                ResponseFacts(
                    r.version.title(),
                    r.version.version,
                    r.variant,
                    r.status,
                    r.submitted.date() if r.submitted else None,
                    r.version.spec,
                    r.answers,
                )
            )
        for inv in Invitation.objects.filter(supplier=supplier).select_related(
            "office", "version", "response"
        ):
            facts.invitations.append(
                InvitationFacts(
                    inv.office.code,
                    inv.version.title(),
                    inv.version.version,
                    inv.due,
                    inv.response.status if inv.response else None,
                )
            )
        facts.evidence = list(Evidence.objects.filter(supplier=supplier).values_list("title", "expires_on"))
        items = evidence_items(facts, weights, today)
        if items:
            out[supplier.pk] = ([n.name for n in supplier.names.all()] or [supplier.name], items)
    return out


def write_csv(
    path: Path, weights: SupplierWeights | None = None, today: dt.date | None = None
) -> Path | None:
    """Write the registry's evidence as a ``--supplier-evidence`` CSV; None when there is none."""
    from fairprocure.score.policy import load_policy

    weights = weights or load_policy().supplier
    found = collect(weights, today or dt.date.today())
    if not found:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["supplier", "points", "evidence", "source", "date"])
        for spellings, items in found.values():
            for key_name in {
                supplier_key(n): n for n in spellings
            }.values():  # one row per key, not per spelling
                for item in items:
                    writer.writerow([key_name, item.points, item.evidence, item.source, item.date])
    return path
