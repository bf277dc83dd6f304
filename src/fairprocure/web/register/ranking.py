"""One priority order for the whole organisation, with the risk levels people decided applied.

The library ranks the lines of one screening by ``priority`` (risk score × leverage: value and
duration). Across screenings and offices the workspace keeps its own order: a line's *effective*
priority is its score moved into the band of the level in force (a line lowered to low ranks among the
low ones, one raised to critical among the critical ones; an undecided line keeps its score), times
the same leverage. ``priority_rank`` numbers every line in the register 1, 2, 3 ... by effective priority,
then risk score, then age (the older row first); lines not in the register have none.

The whole order is recomputed after a screening, a replacement or a period change (one window query);
a decision moves one line and shifts the lines between its old and new place.
"""

from __future__ import annotations

from functools import cache

from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest, Least

from fairprocure.score.policy import load_policy
from fairprocure.web.register.models import Line

ORDER = "effective_priority DESC, risk_score DESC, id"
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
    """Recompute ``effective_priority`` of ``lines`` (a queryset) from their score and decided level."""
    lines.update(effective_priority=_expression())


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
        cursor.execute(
            f"""
            UPDATE {table} SET priority_rank = ranked.n
            FROM (SELECT id, row_number() OVER (ORDER BY {ORDER}) AS n FROM {table} WHERE current) AS ranked
            WHERE {table}.id = ranked.id AND {table}.priority_rank {distinct} ranked.n
            """
        )


@transaction.atomic
def rerank(line: Line) -> None:
    """Move one current line to its place after its effective priority changed; shift those in between."""
    _lock()
    refresh_effective(Line.objects.filter(pk=line.pk))
    now = Line.objects.values("effective_priority", "risk_score", "priority_rank").get(pk=line.pk)
    old, eff, score = now["priority_rank"], now["effective_priority"], now["risk_score"]
    current = Line.objects.filter(current=True).exclude(pk=line.pk)
    before = (
        current.filter(effective_priority__gt=eff).count()
        + current.filter(effective_priority=eff)
        .filter(Q(risk_score__gt=score) | Q(risk_score=score, pk__lt=line.pk))
        .count()
    )
    new = before + 1
    if old is None:
        rank_all()
        return
    if new > old:
        current.filter(priority_rank__gt=old, priority_rank__lte=new).update(
            priority_rank=F("priority_rank") - 1
        )
    elif new < old:
        current.filter(priority_rank__gte=new, priority_rank__lt=old).update(
            priority_rank=F("priority_rank") + 1
        )
    Line.objects.filter(pk=line.pk).update(priority_rank=new)
    line.priority_rank = new
