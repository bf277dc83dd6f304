"""A contract's life: screened → assessed → in tender / in force → closed (plain rules)."""

from __future__ import annotations

SCREENED, ASSESSED, IN_TENDER, IN_FORCE, CLOSED = "screened", "assessed", "in_tender", "in_force", "closed"
ORDER = [SCREENED, ASSESSED, IN_TENDER, IN_FORCE, CLOSED]

# Moves a person may make by hand; "assessed" is reached by recording an assessment.
MOVES: dict[str, tuple[str, ...]] = {
    SCREENED: (IN_TENDER, IN_FORCE, CLOSED),
    ASSESSED: (IN_TENDER, IN_FORCE, CLOSED),
    IN_TENDER: (IN_FORCE, CLOSED),
    IN_FORCE: (IN_TENDER, CLOSED),  # renewal goes back to tender
    CLOSED: (IN_TENDER,),  # a new tender for the same need
}


def can_move(current: str, new: str) -> bool:
    return new in MOVES.get(current, ())


def after_assessment(current: str) -> str:
    """An assessment moves a screened contract to assessed and leaves a later status as it is."""
    return ASSESSED if current == SCREENED else current
