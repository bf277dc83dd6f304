"""The plans' KPIs: approved local action plans, actions done and overdue, high-risk spend covered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.rollup import link_key
from fairprocure.web.contracts.suppliers import registry_spellings
from fairprocure.web.kpis.registry import COUNT, KPI, PERCENT, Measure, register
from fairprocure.web.plans.models import Action, ActionPlan


def _per_office(rows) -> dict[int, Measure]:
    return {r["office"]: Measure(r["n"]) for r in rows}


def approved_plans(year: int, offices) -> dict[int, Measure]:
    rows = ActionPlan.objects.filter(office__in=offices, year=year, status=ActionPlan.Status.APPROVED)
    return _per_office(rows.values("office").annotate(n=Count("id")))


def _actions(year: int, offices):
    return (
        Action.objects.filter(plan__office__in=offices, plan__year=year)
        .values(office=F("plan__office"))
        .order_by()
    )


def actions_done(year: int, offices) -> dict[int, Measure]:
    rows = _actions(year, offices).filter(status=Action.Status.DONE).annotate(n=Count("id"))
    return _per_office(rows)


def actions_overdue(year: int, offices, today: dt.date | None = None) -> dict[int, Measure]:
    today = today or dt.date.today()
    rows = (
        _actions(year, offices).filter(Q(status__in=Action.OPEN), due_date__lt=today).annotate(n=Count("id"))
    )
    return _per_office(rows)


HIGH = Q(high_risk=True) | Q(high_risk__isnull=True, top_level__in=["high", "critical"])


def high_risk_contracts(year: int, offices):
    """High-risk contracts (the assessment in force, else their lines' highest level) whose lines span
    ``year`` (first line on or before its end, last line on or after its start) or are undated."""
    spans = Q(first_date__lte=dt.date(year, 12, 31), last_date__gte=dt.date(year, 1, 1))
    return Contract.objects.filter(office__in=offices).filter(HIGH).filter(spans | Q(first_date__isnull=True))


def _links(year: int, offices) -> dict[int, dict]:
    """Per office, what the year's plan actions (not dropped) name: contracts, categories, suppliers."""
    links: dict[int, dict] = defaultdict(
        lambda: {"contracts": set(), "categories": set(), "suppliers": set()}
    )
    found = (
        Action.objects.filter(plan__office__in=offices, plan__year=year)
        .exclude(status=Action.Status.DROPPED)
        .select_related("plan")
        .prefetch_related("contracts")
    )
    for action in found:
        office = links[action.plan.office_id]
        office["contracts"].update(c.pk for c in action.contracts.all())
        office["categories"].update(action.categories)
        office.setdefault("names", set()).update(action.suppliers)
    for office in links.values():
        office["suppliers"] = registry_spellings(office.pop("names", ()))
    return links


def _naming(links: dict) -> Q | None:
    """The contracts an office's actions name: by contract, or by one of its category ids or supplier
    spellings (searched in ``Contract.link_keys``); None when they name nothing."""
    found = [Q(pk__in=links["contracts"])] if links["contracts"] else []
    found += [Q(link_keys__contains=link_key("c", c)) for c in sorted(links["categories"])]
    found += [Q(link_keys__contains=link_key("s", s)) for s in sorted(links["suppliers"])]
    return reduce(or_, found) if found else None


def spend_covered(year: int, offices) -> dict[int, Measure]:
    """Covered high-risk spend over all high-risk spend of the year's contracts, per office, in SQL."""
    contracts = high_risk_contracts(year, offices)
    totals = {
        row["office"]: row["spend"] or 0.0
        for row in contracts.values("office").annotate(spend=Sum("value_eur")).order_by()
    }
    links = _links(year, offices)
    result = {}
    for office, total in totals.items():
        naming = _naming(links[office]) if office in links else None
        value = 0.0
        if naming is not None:
            value = contracts.filter(naming, office=office).aggregate(spend=Sum("value_eur"))["spend"] or 0.0
        result[office] = Measure(value, total)
    return result


register(
    KPI(
        "approved_action_plans",
        _("Approved local action plans"),
        COUNT,
        approved_plans,
        _("Offices whose action plan for the year management has approved."),
        module="plans",
        order=20,
    )
)
register(
    KPI(
        "high_risk_spend_covered",
        _("Share of high-risk spend covered by an action"),
        PERCENT,
        spend_covered,
        _(
            "Spend of high-risk contracts whose lines fall in or span the year (the assessment in force, else the "
            "lines' level) whose contract, category or supplier an action of the year's plan names."
        ),
        module="plans",
        order=50,
    )
)
register(
    KPI(
        "actions_done",
        _("Actions done"),
        COUNT,
        actions_done,
        _("Actions of the year's plans marked done, with their evidence."),
        module="plans",
        order=60,
    )
)
register(
    KPI(
        "actions_overdue",
        _("Actions overdue"),
        COUNT,
        actions_overdue,
        _("Actions of the year's plans not done or dropped whose due date has passed (as of today)."),
        module="plans",
        order=61,
    )
)
