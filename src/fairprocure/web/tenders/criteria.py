"""Evaluation criteria: weights and the social weighting a policy asks for. Plain rules, no server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SELECTION, AWARD = "selection", "award"
DEFAULT_SOCIAL_MINIMUM = Decimal(10)  # per cent of the award weighting (UK social value model: at least 10%)


@dataclass(frozen=True)
class Criterion:
    kind: str  # selection (pass/fail) | award (weighted)
    title: str
    weight: Decimal | None
    social: bool
    guidance: str


def problems(criteria: Sequence[Criterion], social_minimum: Decimal | None) -> list[str]:
    """What is wrong with a set of criteria; empty when it can go into a tender.

    Award criteria carry weights that add up to 100; selection criteria are pass/fail and carry none;
    every social criterion says how it is scored; the social award weights add up to at least
    ``social_minimum`` when the policy asks for one (None: no minimum).
    """
    out: list[str] = []
    award = [c for c in criteria if c.kind == AWARD]
    if not award:
        out.append("add at least one award criterion")
    for c in criteria:
        if c.kind not in (SELECTION, AWARD):
            out.append(f"{c.title}: kind must be selection or award")
        elif c.kind == SELECTION and c.weight:
            out.append(f"{c.title}: a selection criterion is pass or fail and carries no weight")
        elif c.kind == AWARD and (c.weight is None or c.weight <= 0 or c.weight > 100):
            out.append(f"{c.title}: give a weight above 0 and at most 100")
        if c.social and len(c.guidance.strip()) < 10:
            out.append(f"{c.title}: say how the social criterion is scored")
    total = sum((c.weight or Decimal(0) for c in award), Decimal(0))
    if award and total != 100:
        out.append(f"award weights add up to {total:g}%, not 100%")
    social = social_weight(criteria)
    if social_minimum is not None and social < social_minimum:
        out.append(f"social criteria weigh {social:g}%, below the policy minimum of {social_minimum:g}%")
    return out


def social_weight(criteria: Sequence[Criterion]) -> Decimal:
    return sum((c.weight or Decimal(0) for c in criteria if c.kind == AWARD and c.social), Decimal(0))
