"""The plans' KPIs: approved local action plans, actions done and overdue, high-risk spend covered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from fairprocure.web.contracts.models import Contract
from fairprocure.web.contracts.rollup import normalise_supplier
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


def high_risk_contracts(year: int, offices):
    """High-risk contracts with lines in ``year`` (or undated): the assessment in force, else their lines."""
    found = Contract.objects.filter(office__in=offices).filter(
        Q(high_risk=True) | Q(high_risk__isnull=True, top_level__in=["high", "critical"])
    )
    return [c for c in found if not c.years or year in c.years]


def covered(contract: Contract, actions: list[Action]) -> bool:
    """An action of the year's plan (not dropped) names the contract, one of its categories or suppliers."""
    suppliers = {normalise_supplier(s) for s in contract.supplier_names}
    categories = set(contract.category_ids)
    for action in actions:
        if contract.pk in action.contract_pks:
            return True
        if categories & set(action.categories):
            return True
        if suppliers & {normalise_supplier(s) for s in action.suppliers}:
            return True
    return False


def spend_covered(year: int, offices) -> dict[int, Measure]:
    actions: dict[int, list[Action]] = defaultdict(list)
    found = (
        Action.objects.filter(plan__office__in=offices, plan__year=year)
        .exclude(status=Action.Status.DROPPED)
        .select_related("plan")
        .prefetch_related("contracts")
    )
    for action in found:
        action.contract_pks = {c.pk for c in action.contracts.all()}
        actions[action.plan.office_id].append(action)
    spend: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for contract in high_risk_contracts(year, offices):
        totals = spend[contract.office_id]
        totals[1] += contract.value_eur
        if covered(contract, actions[contract.office_id]):
            totals[0] += contract.value_eur
    return {office: Measure(v, base) for office, (v, base) in spend.items()}


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
            "Spend of high-risk contracts with lines in the year (the assessment in force, else the lines' level) "
            "whose contract, category or supplier an action of the year's plan names."
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
