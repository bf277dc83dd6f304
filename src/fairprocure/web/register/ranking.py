"""One priority order for the whole organisation, with the risk levels people decided applied.

The library ranks the lines of one screening by ``priority`` (risk score × leverage: value and
duration). Across screenings and offices the workspace keeps its own order: a line's *effective*
priority is its score moved into the band of the level in force (a line lowered to low scores as the
top of the low band, one raised to critical as the bottom of the critical band; an undecided line keeps
its score), times the same leverage. So a lowered line ranks where an undecided low line of the same
value and duration would: below lines of higher levels unless its leverage (at most
``[priority] max_leverage``) outweighs theirs, as in the library's own order. The register is ordered by
effective priority, then risk score, then age (the older row first), and numbers its lines 1, 2, 3 ...
in that order (``#``).

The numbers are kept cheaply. After a screening, a replacement or a period change every line gets its
rank (``priority_rank``, one window query). A decision changes one line's effective priority at once
and marks it ``rank_moved``; the rank shown for any line is then its stored rank corrected by the few
lines moved since (:class:`Ranker`), so a decision never rewrites the ranks of the lines it passes
(at 1,000,000 lines that rewrite took 11 s of CPU for a line lowered from the top).
"""

from __future__ import annotations

from functools import cache

from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, NullIf

from fairprocure.score.policy import load_policy
from fairprocure.web.register.models import Line

LEVEL_IN_FORCE = Coalesce(NullIf(F("decided_level"), Value("")), F("risk_level"))
ORDER = "effective_priority DESC, risk_score DESC, id"  # the register's "priority" sort says the same
_LOCK = 4_201_001  # PostgreSQL advisory lock: one ranking at a time


@cache
def bands() -> dict[str, tuple[float, float]]:
    """The score band of each level under the policy the workspace screens with."""
    lv = load_policy().levels
    below = 0.01  # the top of a band stays under the next level's threshold
    return {
        "low": (0.0, lv.medium - below),
        "medium": (lv.medium, lv.high - below),
        "high": (lv.high, lv.critical - below),
        "critical": (lv.critical, 100.0),
    }


def effective_score(score: float, decided_level: str) -> float:
    """The score moved into the decided level's band (plain values; the SQL below does the same)."""
    if decided_level not in bands():
        return score
    low, high = bands()[decided_level]
    return max(low, min(high, score))


def effective_priority(score: float, priority: float, decided_level: str) -> float:
    leverage = priority / score if score > 0 else 1.0
    return effective_score(score, decided_level) * leverage


def _expression():
    score = F("risk_score")
    moved = Case(
        *[
            When(decided_level=level, then=Greatest(Value(low), Least(Value(high), score)))
            for level, (low, high) in bands().items()
        ],
        default=score,
        output_field=FloatField(),
    )
    leverage = Case(
        When(risk_score__gt=0, then=F("priority") / score), default=Value(1.0), output_field=FloatField()
    )
    return moved * leverage


def refresh_effective(lines) -> None:
    """Recompute ``effective_priority`` and ``level_in_force`` of ``lines`` (a queryset) from their score
    and decided level."""
    lines.update(effective_priority=_expression(), level_in_force=LEVEL_IN_FORCE)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


@transaction.atomic
def rank_all() -> None:
    """Number every line in the register by effective priority (only rows whose rank changes are written)."""
    _lock()
    table = Line._meta.db_table
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET priority_rank = NULL WHERE NOT current AND priority_rank IS NOT NULL"
        )
        cursor.execute(f"UPDATE {table} SET rank_moved = %s WHERE rank_moved", [False])
        cursor.execute(
            f"""
            UPDATE {table} SET priority_rank = ranked.n
            FROM (SELECT id, row_number() OVER (ORDER BY {ORDER}) AS n FROM {table} WHERE current) AS ranked
            WHERE {table}.id = ranked.id AND {table}.priority_rank {distinct} ranked.n
            """
        )


def _key(effective: float, score: float, pk: int) -> tuple:
    """Sort key of the order: higher effective priority, then higher score, then the older row."""
    return (-effective, -score, pk)


def _before(lines, effective: float, score: float, pk: int) -> int:
    """How many of ``lines`` come before a line with this key (two counts on the effective-priority index)."""
    higher = lines.filter(effective_priority__gt=effective).count()
    tied = lines.filter(effective_priority=effective).filter(
        Q(risk_score__gt=score) | Q(risk_score=score, pk__lt=pk)
    )
    return higher + tied.count()


class Ranker:
    """The ``#`` of lines in the organisation's order: stored ranks corrected by the lines moved since.

    Create one per request or export (it reads the moved lines once), then :meth:`rank` each line.
    """

    def __init__(self) -> None:
        self.moved = [
            (_key(e, s, pk), base)
            for pk, e, s, base in Line.objects.filter(current=True, rank_moved=True).values_list(
                "pk", "effective_priority", "risk_score", "priority_rank"
            )
        ]

    def rank(self, line: Line) -> int | None:
        if not line.current:
            return None
        key = _key(line.effective_priority, line.risk_score, line.pk)
        if line.rank_moved or line.priority_rank is None:  # counted where it stands now
            others = Line.objects.filter(current=True)
            return 1 + _before(others, line.effective_priority, line.risk_score, line.pk)
        rank = line.priority_rank
        for moved_key, base in self.moved:
            now_above = moved_key < key
            was_above = base is not None and base < line.priority_rank
            rank += int(now_above) - int(was_above)
        return rank

    def annotate(self, lines):
        """Set ``line.rank`` on each of ``lines`` (for templates and the API); returns them."""
        for line in lines:
            line.rank = self.rank(line)
        return lines


@transaction.atomic
def moved(line: Line) -> None:
    """``line``'s decided level changed: its effective priority follows, its rank is read as moved."""
    _lock()
    refresh_effective(Line.objects.filter(pk=line.pk))
    Line.objects.filter(pk=line.pk).update(rank_moved=True)
    found = Line.objects.values("effective_priority").get(pk=line.pk)
    line.effective_priority, line.rank_moved = found["effective_priority"], True
