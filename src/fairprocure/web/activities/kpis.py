"""The activities' KPIs: workshops held, training sessions, engagement activities, people reached."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from fairprocure.web.activities.models import Activity
from fairprocure.web.kpis.registry import COUNT, KPI, Measure, register


def _count(year: int, offices, kinds) -> dict[int, Measure]:
    rows = (
        Activity.objects.filter(office__in=offices, kind__in=kinds, date__year=year)
        .values("office")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["office"]: Measure(r["n"]) for r in rows}


def workshops(year: int, offices) -> dict[int, Measure]:
    return _count(year, offices, [Activity.Kind.WORKSHOP])


def training(year: int, offices) -> dict[int, Measure]:
    return _count(year, offices, [Activity.Kind.TRAINING])


def engagement(year: int, offices) -> dict[int, Measure]:
    return _count(year, offices, list(Activity.ENGAGEMENT))


def participants(year: int, offices) -> dict[int, Measure]:
    rows = (
        Activity.objects.filter(office__in=offices, date__year=year)
        .values("office")
        .annotate(n=Sum("participants"))
        .order_by()
    )
    return {r["office"]: Measure(r["n"] or 0) for r in rows}


for kpi in (
    KPI(
        "workshops_held",
        _("Workshops held"),
        COUNT,
        workshops,
        _("Workshops recorded in the activities, dated in the year."),
        "activities",
        10,
    ),
    KPI(
        "training_sessions",
        _("Training sessions"),
        COUNT,
        training,
        _("Training sessions recorded in the activities, dated in the year."),
        "activities",
        11,
    ),
    KPI(
        "engagement_activities",
        _("Supplier engagement activities"),
        COUNT,
        engagement,
        _("Pre-tender briefings and other supplier engagement recorded, dated in the year."),
        "activities",
        40,
    ),
    KPI(
        "activity_participants",
        _("Participants in activities"),
        COUNT,
        participants,
        _("People who took part in the year's workshops, training and engagement activities."),
        "activities",
        41,
    ),
):
    register(kpi)
