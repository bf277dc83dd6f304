"""Changing a screening after its upload: the period it covers (audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fairprocure.web.audit.log import record
from fairprocure.web.screenings.models import Screening


@transaction.atomic
def set_period(screening: Screening, start: dt.date | None, end: dt.date | None, actor) -> None:
    """Set (or, with None, clear back to the lines' dates) the period; the register follows the new order."""
    from fairprocure.web.register.current import recompute, set_ranks
    from fairprocure.web.register.models import Line
    from fairprocure.web.register.ranking import rank_all
    from fairprocure.web.screenings.periods import period_code, period_from_dates

    before = screening.period_code
    by = getattr(actor, "username", str(actor)) if start else ""
    if start is None and screening.stored:
        dates = Line.objects.filter(screening=screening, date__isnull=False).values_list("date", flat=True)
        start, end = period_from_dates(list(dates)) or (None, None)
    Screening.objects.filter(pk=screening.pk).update(period_start=start, period_end=end, period_set_by=by)
    screening.period_start, screening.period_end, screening.period_set_by = start, end, by
    if screening.stored:
        set_ranks(screening.office)
        recompute(screening.office, Line.objects.filter(screening=screening).values("line_id"))
        rank_all()
    record(
        actor,
        "screening.period",
        office=screening.office,
        target=screening.file_name,
        details={
            "screening": screening.pk,
            "from": before or "(from the lines' dates)",
            "to": period_code(start, end) or "(unknown)",
            "set_by_uploader": bool(by),
        },
    )
