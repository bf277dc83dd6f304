"""Stage gates of a tender dossier: what must be true before a focal point signs a stage off.

Plain rules on plain values, tested without a server: a stage is signed off in order, once its
checklist is complete and the decisions taken are written down, plus each stage's own conditions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fairprocure.web.tenders.guidance import STAGES

MIN_DECISION = 10


@dataclass(frozen=True)
class StageState:
    stage: str
    checklist: Sequence[str]  # the keys the stage's guide asks for
    checked: Mapping[str, bool]
    decisions: str
    signed_off: bool


@dataclass(frozen=True)
class Facts:
    """What the stages' own conditions need to know about the dossier."""

    clauses_chosen: int = 0
    briefings: int | None = 0  # None: no activities module to record briefings in (the checklist stands)
    criteria_problems: Sequence[str] = field(default_factory=tuple)
    annex_generated: bool = False


def blockers(states: Sequence[StageState], stage: str, facts: Facts) -> list[str]:
    """Why ``stage`` cannot be signed off yet (empty when it can)."""
    by_stage = {s.stage: s for s in states}
    state = by_stage[stage]
    out: list[str] = []
    if state.signed_off:
        return ["the stage is signed off already"]
    for earlier in STAGES[: STAGES.index(stage)]:
        if not by_stage[earlier].signed_off:
            out.append(f"sign off the earlier stage first: {earlier.replace('_', ' ')}")
            break
    missing = [key for key in state.checklist if not state.checked.get(key)]
    if missing:
        out.append(f"checklist items not done: {', '.join(missing)}")
    if len(state.decisions.strip()) < MIN_DECISION:
        out.append("write down the decisions taken at this stage")
    if stage == "analysis" and facts.clauses_chosen == 0:
        out.append("choose at least one clause from the library")
    if stage == "engagement" and facts.briefings is not None and facts.briefings == 0:
        out.append("record the pre-tender briefing (an engagement activity)")
    if stage == "specification":
        out.extend(f"criteria: {p}" for p in facts.criteria_problems)
        if not facts.annex_generated:
            out.append("generate the tender annex")
    return out


def current_stage(states: Sequence[StageState]) -> str | None:
    """The first stage not signed off, or None when all are."""
    return next((s.stage for s in states if not s.signed_off), None)
