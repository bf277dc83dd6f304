"""Raising findings, their corrective action plans, remedy for workers and the escalation ladder.

Every change goes to the audit log in words a reader understands, never with a worker's words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fairprocure.duediligence import checklists, rules
from fairprocure.duediligence.policy import load_policy
from fairprocure.reference.currency import to_eur
from fairprocure.web.audit.log import record
from fairprocure.web.findings.models import Escalation, Finding, FindingEvidence, Remedy


def _log(user, action: str, finding: Finding, **details) -> None:
    record(
        user,
        action,
        office=finding.office,
        target=f"finding {finding.pk}: {finding.title}",
        details={"finding": finding.pk, "contract": finding.contract_id} | details,
    )


def supplier_of(contract) -> str:
    return contract.supplier_names[0] if contract.supplier_names else ""


@transaction.atomic
def raise_finding(
    contract,
    user,
    *,
    title: str,
    severity: str,
    source: str,
    description: str = "",
    indicators: list[str] | None = None,
    supplier: str = "",
    raised_on: dt.date | None = None,
    check=None,
    interview=None,
) -> Finding:
    """A finding on ``contract``; its corrective-action deadline follows from its severity (policy)."""
    if not (title or "").strip():
        raise ValueError("finding: say in a line what was found")
    if severity not in Finding.Severity.values:
        raise ValueError(f"severity: {severity!r} is not one of {', '.join(Finding.Severity.values)}")
    if source not in Finding.Source.values:
        raise ValueError(f"source: {source!r} is not one of {', '.join(Finding.Source.values)}")
    known = checklists.indicators()
    unknown = sorted(set(indicators or []) - set(known))
    if unknown:
        raise ValueError(f"not ILO indicators: {', '.join(unknown)}")
    raised_on = raised_on or timezone.localdate()
    finding = Finding.objects.create(
        office=contract.office,
        contract=contract,
        supplier=(supplier or supplier_of(contract)).strip()[:300],
        source=source,
        check_record=check,
        interview=interview,
        title=title.strip()[:300],
        description=(description or "").strip(),
        severity=severity,
        indicators=[k for k in known if k in set(indicators or [])],
        raised_on=raised_on,
        raised_by=user,
        deadline=rules.cap_deadline(raised_on, severity, load_policy()),
    )
    _log(
        user,
        "finding.raised",
        finding,
        severity=severity,
        source=source,
        indicators=finding.indicators,
        deadline=finding.deadline.isoformat(),
    )
    return finding


PLAN_FIELDS = ("root_cause", "corrective_action", "preventive_action", "owner")


@transaction.atomic
def save_plan(finding: Finding, user, *, agree: bool = False, **fields) -> Finding:
    """Write the corrective action plan; ``agree`` also moves an open finding to "plan agreed"."""
    if finding.status == rules.CLOSED:
        raise ValueError("this finding is closed")
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(finding, name, (fields[name] or "").strip())
    if agree and finding.status == rules.OPEN:
        finding.status = rules.move_finding(
            finding.status, rules.PLAN_AGREED, plan_complete=finding.plan_complete
        )
    finding.save()
    _log(user, "finding.plan_saved", finding, status=finding.status, owner=finding.owner)
    return finding


@transaction.atomic
def submit_evidence(finding: Finding, user, *, note: str = "", title: str = "", upload=None) -> Finding:
    """Evidence that the corrective action was taken: a note and/or a document."""
    note = (note or "").strip()
    if upload is not None:
        if not (title or "").strip():
            raise ValueError("title: say what the document is (e.g. contribution receipts, April)")
        FindingEvidence.objects.create(
            finding=finding, title=title.strip(), file=upload, name=upload.name[:300], uploaded_by=user
        )
    if note:
        finding.evidence_note = note
    has_evidence = bool(finding.evidence_note) or finding.evidence.exists()
    finding.status = rules.move_finding(finding.status, rules.EVIDENCE_SUBMITTED, evidence=has_evidence)
    finding.save()
    _log(user, "finding.evidence_submitted", finding, document=(title or "").strip())
    return finding


def check_supplier_upload(upload) -> None:
    """A document a supplier sends: the portal's own rules (PDF, PNG or JPEG, at most 10 MB, content
    checked against its suffix)."""
    from pathlib import Path

    from fairprocure.web.questionnaires.services import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, MAGIC

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValueError(_("%(name)s: upload a PDF, PNG or JPEG file") % {"name": upload.name or "?"})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValueError(_("%(name)s is larger than 10 MB") % {"name": upload.name})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(MAGIC[suffix]):
        raise ValueError(
            _("%(name)s is not a real %(type)s file") % {"name": upload.name, "type": suffix[1:].upper()}
        )


@transaction.atomic
def verify(finding: Finding, user, *, accepted: bool, note: str) -> Finding:
    """A focal point checks the evidence: verified, or the plan goes back to the supplier."""
    if not (note or "").strip():
        raise ValueError("verification: say how the evidence was checked")
    target = rules.VERIFIED if accepted else rules.PLAN_AGREED
    finding.status = rules.move_finding(finding.status, target)
    finding.verification_note = note.strip()
    if accepted:
        finding.verified_by, finding.verified_on = user, timezone.localdate()
    finding.save()
    _log(user, "finding.verified" if accepted else "finding.sent_back", finding)
    return finding


@transaction.atomic
def close(finding: Finding, user, on: dt.date | None = None) -> Finding:
    finding.status = rules.move_finding(finding.status, rules.CLOSED)
    finding.closed_by, finding.closed_on = user, on or timezone.localdate()
    finding.save()
    _log(
        user,
        "finding.closed",
        finding,
        days_to_remediation=rules.days_to_remediation(finding.raised_on, finding.closed_on),
    )
    return finding


@transaction.atomic
def address_to_supplier(finding: Finding, user) -> Finding:
    """Show the finding to its supplier in the supplier portal: its title, severity, what was found, the
    ILO indicators, the corrective plan, the deadline and the status. A deliberate step, taken once a
    person has checked that nothing in those words could identify a worker."""
    if finding.addressed_on is not None:
        raise ValueError("this finding is addressed to the supplier already")
    finding.addressed_on, finding.addressed_by = timezone.localdate(), user
    finding.save(update_fields=["addressed_on", "addressed_by"])
    _log(user, "finding.addressed", finding, supplier=finding.supplier)
    return finding


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"amount: {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("amount: give a sum of zero or more")
    return amount


@transaction.atomic
def record_remedy(
    finding: Finding,
    user,
    *,
    kind: str,
    workers: int,
    paid_on: dt.date,
    amount=None,
    currency: str = "",
    note="",
) -> Remedy:
    """Remedy workers received; amounts are converted to EUR at the rate of the day paid (for the KPIs)."""
    if kind not in Remedy.Kind.values:
        raise ValueError(f"remedy: {kind!r} is not one of {', '.join(Remedy.Kind.values)}")
    if int(workers) <= 0:
        raise ValueError("workers remedied: at least one")
    value = _amount(amount)
    currency = (currency or "").strip().upper()
    if value is not None and (len(currency) != 3 or not currency.isalpha()):
        raise ValueError("currency: give the ISO code of the amount's currency (e.g. EUR, TJS)")
    remedy = Remedy.objects.create(
        finding=finding,
        kind=kind,
        workers=int(workers),
        amount=value,
        currency=currency if value is not None else "",
        amount_eur=to_eur(float(value), currency, paid_on) if value is not None else None,
        paid_on=paid_on,
        note=(note or "").strip(),
        recorded_by=user,
    )
    _log(
        user,
        "finding.remedy_recorded",
        finding,
        kind=kind,
        workers=remedy.workers,
        amount=str(value) if value is not None else "",
        currency=remedy.currency,
    )
    return remedy


# --- the escalation ladder -------------------------------------------------------------------------


def current_step(contract, supplier: str) -> str | None:
    last = Escalation.objects.filter(contract=contract, supplier=supplier).order_by("-at", "-pk").first()
    return last.step if last else None


def _apply_to_supplier(step: rules.Step, supplier: str, contract, actor) -> str:
    """Reflect the step in the supplier registry's status (when the suppliers app is installed)."""
    effect = rules.SUPPLIER_EFFECT.get(step.step)
    if effect is None or not apps.is_installed("fairprocure.web.suppliers"):
        return ""
    from fairprocure.web.suppliers import registry

    found = registry.resolve(supplier)
    if found is None:
        return ""
    reason = f"{step.reason} (contract {contract.label}, escalation)"
    if found.status == {"suspend": "suspended", "exclude": "excluded", "reinstate": "active"}[effect]:
        return f"{found.name}: {found.status}"  # another contract's ladder (or a person) moved it already
    if effect == "suspend":
        registry.suspend(found, reason, step.reform_required, step.review_date, actor)
    elif effect == "exclude":
        registry.exclude(found, reason, actor)
    else:
        registry.reinstate(found, reason, actor)
    found.refresh_from_db()
    return f"{found.name}: {found.status}"


@transaction.atomic
def escalate(
    contract,
    user,
    *,
    step: str,
    reason: str,
    supplier: str = "",
    reform_required: str = "",
    review_date: dt.date | None = None,
    finding: Finding | None = None,
) -> Escalation:
    """Take one step on the ladder for the contract's supplier (``rules.check_step`` says which may)."""
    supplier = (supplier or supplier_of(contract)).strip()
    if not supplier:
        raise ValueError("supplier: name the supplier this step concerns")
    critical = (
        Finding.objects.filter(contract=contract, supplier=supplier, severity="critical")
        .exclude(status=rules.CLOSED)
        .exists()
    )
    checked = rules.check_step(
        current_step(contract, supplier),
        rules.Step(step, reason or "", reform_required or "", review_date),
        today=timezone.localdate(),
        critical_finding=critical,
    )
    status = _apply_to_supplier(checked, supplier, contract, user)
    item = Escalation.objects.create(
        contract=contract,
        supplier=supplier,
        step=step,
        reason=reason.strip(),
        reform_required=(reform_required or "").strip(),
        review_date=review_date,
        finding=finding,
        supplier_status=status,
        by=user,
    )
    record(
        user,
        f"escalation.{step}",
        office=contract.office,
        target=f"{supplier} ({contract.label})",
        details={
            "contract": contract.pk,
            "supplier": supplier,
            "reason": item.reason,
            "reform_required": item.reform_required,
            "review_date": review_date.isoformat() if review_date else "",
            "supplier_status": status,
        },
    )
    return item


@dataclass(frozen=True)
class SupplierView:
    """A finding as its supplier reads it in the portal: no office notes, no worker, no source record."""

    finding: Finding
    template = "findings/_portal_finding.html"

    def __str__(self) -> str:
        f = self.finding
        return _("%(severity)s finding on contract %(contract)s: %(title)s (%(status)s; corrective action due by %(deadline)s)") % {
            "severity": f.get_severity_display(),
            "contract": f.contract.label,
            "title": f.title,
            "status": f.get_status_display(),
            "deadline": f.deadline.isoformat(),
        }  # fmt: skip

    def indicators(self) -> list[str]:
        language = "ru" if (get_language() or "").startswith("ru") else "en"
        known = checklists.indicators()
        return [known[k].label(language) for k in self.finding.indicators if k in known]


def findings_for_supplier(supplier) -> list[SupplierView]:
    """Findings addressed to a registry supplier (under any of its spellings), for the supplier portal."""
    names = {n.name for n in supplier.names.all()} | {supplier.name}
    found = Finding.objects.filter(supplier__in=names, addressed_on__isnull=False)
    return [SupplierView(f) for f in found.select_related("contract").order_by("-raised_on", "-pk")]
