"""Recording a focal point's decision on a line's risk: the line, the audit log and the statistics."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from fairprocure.web.audit.log import record
from fairprocure.web.dashboard.stats import refresh_office
from fairprocure.web.register.models import LEVELS, Decision, Line

# Sent with ``line`` and ``decision`` after a decision is recorded (the line's contract refreshes on it).
risk_decided = Signal()


@transaction.atomic
def decide(line: Line, level: str, justification: str, user) -> Decision:
    """Confirm (same level), raise or lower ``line``'s risk; the original score is never changed."""
    if level not in LEVELS:
        raise ValueError(f"risk level {level!r} is not one of {', '.join(LEVELS)}")
    if not justification or not justification.strip():
        raise ValueError("a risk decision needs a justification")
    previous = line.level
    step = LEVELS.index(level) - LEVELS.index(previous)
    kind = Decision.Kind.CONFIRM if step == 0 else (Decision.Kind.RAISE if step > 0 else Decision.Kind.LOWER)
    decision = Decision.objects.create(
        line=line,
        kind=kind,
        level=level,
        previous_level=previous,
        original_level=line.risk_level,
        original_score=line.risk_score,
        justification=justification.strip(),
        decided_by=user,
    )
    Line.objects.filter(pk=line.pk).update(decided_level=level)
    line.decided_level = level
    record(
        user,
        f"risk.{kind}",
        office=line.office,
        target=line.line_id,
        details={
            "line": line.pk,
            "from": previous,
            "to": level,
            "original_level": line.risk_level,
            "original_score": line.risk_score,
            "justification": decision.justification,
        },
    )
    if level != previous:
        refresh_office(line.office)
    risk_decided.send(sender=Line, line=line, decision=decision)
    return decision
