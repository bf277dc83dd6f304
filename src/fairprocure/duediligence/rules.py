"""Plain rules of due diligence after the award: checks due and overdue, corrective-action deadlines,
the life of a finding, the escalation ladder and the grievance timers. No Django: values in, values out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fairprocure.duediligence.policy import DueDiligencePolicy

# --- monitoring ------------------------------------------------------------------------------------

NOT_SCHEDULED, UPCOMING, DUE_SOON, OVERDUE = "not_scheduled", "upcoming", "due_soon", "overdue"


def next_check_due(started_on: dt.date, frequency_days: int, last_done: dt.date | None) -> dt.date | None:
    """The date the next check is due: a frequency after the last check done, or after the plan
    started for the first one. None when the plan has no routine frequency (0 days)."""
    if frequency_days <= 0:
        return None
    return (last_done or started_on) + dt.timedelta(days=frequency_days)


def check_state(due: dt.date | None, today: dt.date, due_soon_days: int) -> str:
    """``overdue`` after its date, ``due_soon`` within ``due_soon_days`` of it, else ``upcoming``."""
    if due is None:
        return NOT_SCHEDULED
    if today > due:
        return OVERDUE
    if (due - today).days <= due_soon_days:
        return DUE_SOON
    return UPCOMING


# --- findings and corrective action plans ----------------------------------------------------------

OPEN, PLAN_AGREED, EVIDENCE_SUBMITTED, VERIFIED, CLOSED = (
    "open",
    "plan_agreed",
    "evidence_submitted",
    "verified",
    "closed",
)
FINDING_STATES = (OPEN, PLAN_AGREED, EVIDENCE_SUBMITTED, VERIFIED, CLOSED)
_FINDING_MOVES = {
    OPEN: {PLAN_AGREED},
    PLAN_AGREED: {EVIDENCE_SUBMITTED},
    EVIDENCE_SUBMITTED: {VERIFIED, PLAN_AGREED},  # verification may send the plan back
    VERIFIED: {CLOSED},
    CLOSED: set(),
}


class TransitionError(ValueError):
    """A move the rules do not allow; the message says why and what to do."""


def cap_deadline(raised_on: dt.date, severity: str, policy: DueDiligencePolicy) -> dt.date:
    """The corrective action plan's deadline: the severity's days after the finding was raised."""
    return raised_on + dt.timedelta(days=policy.corrective_action.days(severity))


def move_finding(current: str, new: str, *, plan_complete: bool = True, evidence: bool = True) -> str:
    """Check a finding's move; returns ``new`` or raises :class:`TransitionError`."""
    if new not in _FINDING_MOVES.get(current, set()):
        raise TransitionError(f"a finding cannot go from {current} to {new}")
    if new == PLAN_AGREED and current == OPEN and not plan_complete:
        raise TransitionError(
            "agree the plan with its root cause, corrective action, preventive action and owner first"
        )
    if new == EVIDENCE_SUBMITTED and not evidence:
        raise TransitionError("attach or describe the evidence that the corrective action was taken")
    return new


def days_to_remediation(raised_on: dt.date, closed_on: dt.date) -> int:
    return (closed_on - raised_on).days


# --- the escalation ladder --------------------------------------------------------------------------

ENGAGEMENT, CORRECTIVE_PLAN, SUSPENSION, TERMINATION, EXCLUSION, REINSTATED = (
    "engagement",
    "corrective_plan",
    "suspension",
    "termination",
    "exclusion",
    "reinstated",
)
LADDER = (ENGAGEMENT, CORRECTIVE_PLAN, SUSPENSION, TERMINATION, EXCLUSION)
RUNG = {ENGAGEMENT: 1, CORRECTIVE_PLAN: 2, SUSPENSION: 3, TERMINATION: 4, EXCLUSION: 4}
# What each step does to the supplier's status in the registry (suppliers app).
SUPPLIER_EFFECT = {SUSPENSION: "suspend", EXCLUSION: "exclude", REINSTATED: "reinstate"}


@dataclass(frozen=True)
class Step:
    step: str
    reason: str
    reform_required: str = ""
    review_date: dt.date | None = None


def check_step(current: str | None, step: Step, *, today: dt.date, critical_finding: bool = False) -> Step:
    """Check one step up (or back down) the ladder; returns it or raises :class:`TransitionError`.

    Remediation before termination: each rung follows the one below it. Only a critical finding
    (forced labour, withheld documents, immediate danger) may skip rungs. Suspension says which
    reform is required and when it will be reviewed; reinstatement ends a suspension once reform is
    shown. Termination and exclusion are the last rung.
    """
    if not step.reason.strip():
        raise TransitionError("give the reason for this step")
    if step.step == REINSTATED:
        if current != SUSPENSION:
            raise TransitionError("only a suspended supplier can be reinstated (after effective reform)")
        return step
    if step.step not in RUNG:
        raise TransitionError(f"{step.step!r} is not a step of the ladder: {', '.join(LADDER)}")
    if current in (TERMINATION, EXCLUSION):
        raise TransitionError("the ladder ended with termination or exclusion")
    here = 0 if current in (None, REINSTATED) else RUNG[current]
    there = RUNG[step.step]
    if there <= here:
        raise TransitionError(f"the supplier is at {current} already; the next step is higher")
    if there > here + 1 and not critical_finding:
        raise TransitionError(
            "remediation before termination: take the steps in turn "
            f"(next: {LADDER[here]}), unless a critical finding calls for immediate action"
        )
    if step.step == SUSPENSION:
        if not step.reform_required.strip():
            raise TransitionError("suspension until reform: say which reform is required")
        if step.review_date is None or step.review_date <= today:
            raise TransitionError("suspension until reform: set a review date after today")
    return step


# --- grievance timers -------------------------------------------------------------------------------

IN_TIME, LATE, PENDING, ACK_OVERDUE = "in_time", "late", "pending", "overdue"


def acknowledge_by(received: dt.datetime, policy: DueDiligencePolicy) -> dt.datetime:
    return received + dt.timedelta(days=policy.grievance.acknowledge_days)


def resolve_by(received: dt.datetime, policy: DueDiligencePolicy) -> dt.datetime:
    return received + dt.timedelta(days=policy.grievance.resolve_days)


def acknowledgement_state(
    received: dt.datetime, acknowledged: dt.datetime | None, now: dt.datetime, policy: DueDiligencePolicy
) -> str:
    """``in_time`` or ``late`` once acknowledged; before, ``pending`` or ``overdue``."""
    deadline = acknowledge_by(received, policy)
    if acknowledged is not None:
        return IN_TIME if acknowledged <= deadline else LATE
    return ACK_OVERDUE if now > deadline else PENDING


def monitoring_level(top_level: str, assessed_high: bool | None) -> str:
    """The risk level that sets the monitoring frequency: a contract assessed as potentially high risk
    is monitored at least as "high"; one assessed as not high risk at most as "medium"; an unassessed
    one at the highest level of its lines."""
    order = ("low", "medium", "high", "critical")
    level = top_level if top_level in order else "low"
    if assessed_high is True:
        return max(level, "high", key=order.index)
    if assessed_high is False:
        return min(level, "medium", key=order.index)
    return level
