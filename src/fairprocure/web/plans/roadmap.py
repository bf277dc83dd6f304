"""The roadmap: a plan's actions laid out on its year's quarters (plain values, tested without a server)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
EARLIER, LATER, UNDATED = "earlier", "later", "undated"


def slot(year: int, due: dt.date | None) -> str:
    """Where an action due on ``due`` sits on the roadmap of ``year``."""
    if due is None:
        return UNDATED
    if due.year < year:
        return EARLIER
    if due.year > year:
        return LATER
    return QUARTERS[(due.month - 1) // 3]


@dataclass
class Item:
    action: object
    slot: str
    overdue: bool


@dataclass
class Lane:
    goal: str
    items: list[Item]


def lanes(year: int, actions, goal_of, today: dt.date) -> list[Lane]:
    """Actions grouped by goal (``goal_of(action)`` names it), each placed in its slot, overdue flagged."""
    found: dict[str, Lane] = {}
    for action in actions:
        name = goal_of(action)
        lane = found.setdefault(name, Lane(goal=name, items=[]))
        lane.items.append(
            Item(action=action, slot=slot(year, action.due_date), overdue=action.overdue(today))
        )
    return list(found.values())
