"""A supplier's status and what it means for the screening: plain rules, tested without a server.

active → suspended until reform (the reform required and a review date) → reinstated (active again) or
excluded; an excluded supplier may be reinstated too, with the reason. Every move is a
:class:`fairprocure.web.suppliers.models.StatusChange` and an audit event (``services``).
"""

from __future__ import annotations

import datetime as dt

ACTIVE, SUSPENDED, EXCLUDED = "active", "suspended", "excluded"
STATUSES = (ACTIVE, SUSPENDED, EXCLUDED)
# move name → (statuses it may start from, status it leads to)
MOVES = {
    "suspend": ((ACTIVE,), SUSPENDED),
    "exclude": ((ACTIVE, SUSPENDED), EXCLUDED),
    "reinstate": ((SUSPENDED, EXCLUDED), ACTIVE),
}


def check_move(move: str, current: str, reason: str, reform: str = "", review: dt.date | None = None) -> str:
    """The status ``move`` leads to from ``current``; ``ValueError`` saying why when it may not be made."""
    if move not in MOVES:
        raise ValueError(f"{move!r} is not one of {', '.join(MOVES)}")
    starts, new = MOVES[move]
    if current not in starts:
        raise ValueError(f"a supplier that is {current} cannot be {new} ({move} needs {' or '.join(starts)})")
    if len((reason or "").strip()) < 10:
        raise ValueError("reason: write at least 10 characters saying why")
    if move == "suspend":
        if not (reform or "").strip():
            raise ValueError("reform required: say what the supplier must show to be reinstated")
        if review is None:
            raise ValueError("review date: say when the suspension will be reviewed")
    return new


def review_overdue(status: str, review: dt.date | None, today: dt.date) -> bool:
    """A suspension whose review date has passed without a decision."""
    return status == SUSPENDED and review is not None and review < today
