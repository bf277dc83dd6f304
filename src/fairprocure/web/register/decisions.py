"""Recording a focal point's decision on a line's risk: the line, the audit log and the statistics.

A decision keeps what it was about (supplier, description, value, score, content fingerprint); the
register carries it over to a later version of the same line with the same content and shows it as
stale on a changed one (:func:`fairprocure.web.register.current.apply_decisions`).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from fairprocure.web.audit.log import record
from fairprocure.web.dashboard.stats import refresh_office
from fairprocure.web.register.models import LEVELS, Decision, Line
from fairprocure.web.register.ranking import moved

# Sent with ``line`` and ``decision`` after a decision is recorded (the line's contract refreshes on it).
risk_decided = Signal()


@transaction.atomic
def decide(line: Line, level: str, justification: str, user) -> Decision:
    """Confirm (same level), raise or lower ``line``'s risk; the original score is never changed."""
    if not line.current:
        raise ValueError("this version of the line is no longer in the register; decide on the one in force")
    if level not in LEVELS:
        raise ValueError(f"risk level {level!r} is not one of {', '.join(LEVELS)}")
    if not justification or not justification.strip():
        raise ValueError("a risk decision needs a justification")
    previous = line.level
    step = LEVELS.index(level) - LEVELS.index(previous)
    kind = Decision.Kind.CONFIRM if step == 0 else (Decision.Kind.RAISE if step > 0 else Decision.Kind.LOWER)
    decision = Decision.objects.create(
        line=line,
        office=line.office,
        line_key=line.line_id,
        kind=kind,
        level=level,
        previous_level=previous,
        original_level=line.risk_level,
        original_score=line.risk_score,
        justification=justification.strip(),
        decided_by=user,
        fingerprint=line.fingerprint,
        supplier_name=line.supplier_name,
        description=line.description,
        value=line.value,
        currency=line.currency,
        value_eur=line.value_eur,
    )
    Line.objects.filter(pk=line.pk).update(decided_level=level, decision=decision, decision_stale=False)
    line.decided_level, line.decision, line.decision_stale = level, decision, False
    screening = line.screening
    record(
        user,
        f"risk.{kind}",
        office=line.office,
        target=(decision.about() + f" — {line.source_file} {line.source_record}".rstrip())[:300],
        details={
            "line": line.pk,
            "line_id": line.line_id,
            "supplier": line.supplier_name,
            "description": line.description[:300],
            "value": f"{line.value:,.2f} {line.currency}".strip() if line.value is not None else None,
            "file": screening.file_name,
            "period": screening.period_code,
            "from": previous,
            "to": level,
            "original_level": line.risk_level,
            "original_score": line.risk_score,
            "justification": decision.justification,
        },
    )
    if level != previous:
        moved(line)  # its place in the organisation-wide order follows the level in force
        refresh_office(line.office)
    risk_decided.send(sender=Line, line=line, decision=decision)
    return decision
