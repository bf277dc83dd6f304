"""Monitoring a contract: its plan, checks with evidence, cost-structure checks and worker interviews.

Views, the API and tests call these; every change goes to the audit log, never a worker's words.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fairprocure import labour_cost
from fairprocure.duediligence import checklists, rules
from fairprocure.duediligence.policy import load_policy
from fairprocure.web.audit.log import record
from fairprocure.web.confidential import seal, unseal
from fairprocure.web.monitoring.models import Check, CostCheck, Evidence, Interview, Plan


def _log(user, action: str, contract, **details) -> None:
    record(
        user,
        action,
        office=contract.office,
        target=str(contract),
        details={"contract": contract.pk} | details,
    )


def service_of(contract) -> str:
    """The checklist for the contract's largest category that has one, else the generic checklist."""
    lists = checklists.checklists()
    for category in contract.category_ids:
        if category in lists:
            return category
    return checklists.GENERIC


def level_of(contract) -> str:
    return rules.monitoring_level(contract.top_level, contract.high_risk)


@transaction.atomic
def create_plan(contract, user, *, service: str = "", started_on: dt.date | None = None) -> Plan:
    """The contract's monitoring plan; its frequency comes from the policy for the contract's risk level."""
    if Plan.objects.filter(contract=contract).exists():
        raise ValueError("this contract has a monitoring plan already")
    service = service or service_of(contract)
    if service not in checklists.checklists():
        raise ValueError(f"service: {service!r} has no checklist ({', '.join(checklists.checklists())})")
    level = level_of(contract)
    policy = load_policy()
    days = policy.monitoring.frequency(level)
    start = started_on or timezone.localdate()
    plan = Plan.objects.create(
        contract=contract,
        service=service,
        risk_level=level,
        frequency_days=days,
        started_on=start,
        next_due=rules.next_check_due(start, days, None) if days else None,
        created_by=user,
    )
    _log(user, "monitoring.plan_created", contract, service=service, risk_level=level, frequency_days=days)
    return plan


def refresh_due(plan: Plan) -> Plan:
    last = plan.checks.aggregate(last=Max("done_on"))["last"]
    plan.next_due = rules.next_check_due(plan.started_on, plan.frequency_days, last)
    plan.save(update_fields=["next_due"])
    return plan


def state(plan: Plan, today: dt.date | None = None) -> str:
    policy = load_policy()
    return rules.check_state(plan.next_due, today or timezone.localdate(), policy.monitoring.due_soon_days)


@transaction.atomic
def record_check(
    plan: Plan,
    user,
    *,
    done_on: dt.date,
    method: str,
    results: dict[str, str],
    notes: dict[str, str] | None = None,
    summary: str = "",
    workers_covered: int | None = None,
) -> Check:
    """A check against the plan's checklist: every item's outcome (ok, issue, n/a, not checked)."""
    checklist = checklists.checklists()[plan.service]
    if method not in Check.Method.values:
        raise ValueError(f"method: {method!r} is not one of {', '.join(Check.Method.values)}")
    if done_on > timezone.localdate():
        raise ValueError("checked on: a check cannot be recorded before it is done")
    clean = {}
    for item in checklist.items:
        outcome = results.get(item.key) or "not_checked"
        if outcome not in checklists.OUTCOMES:
            raise ValueError(f"{item.key}: {outcome!r} is not one of {', '.join(checklists.OUTCOMES)}")
        clean[item.key] = outcome
    unknown = sorted(set(results) - set(clean))
    if unknown:
        raise ValueError(f"the {plan.service} checklist has no item(s) {', '.join(unknown)}")
    check = Check.objects.create(
        plan=plan,
        done_on=done_on,
        method=method,
        results=clean,
        notes={k: v.strip() for k, v in (notes or {}).items() if k in clean and v and v.strip()},
        summary=summary.strip(),
        workers_covered=workers_covered,
        done_by=user,
    )
    refresh_due(plan)
    _log(
        user,
        "monitoring.check_recorded",
        plan.contract,
        check=check.pk,
        done_on=done_on.isoformat(),
        method=method,
        issues=check.issues,
    )
    return check


def attach_evidence(check: Check, user, title: str, upload) -> Evidence:
    if not (title or "").strip():
        raise ValueError("title: say what the document is (e.g. payroll extract, March)")
    item = Evidence.objects.create(
        check_record=check, title=title.strip(), file=upload, name=upload.name[:300], uploaded_by=user
    )
    _log(user, "monitoring.evidence_attached", check.plan.contract, check=check.pk, title=item.title)
    return item


def indicators_of(check: Check) -> list[str]:
    return checklists.indicators_touched(checklists.checklists()[check.plan.service], check.results)


# --- the cost-structure check ----------------------------------------------------------------------


def floor_for(contract, on: dt.date):
    """The binding wage floor for the contract's country and service on ``on`` (loaded by the tenders app)."""
    from fairprocure.web.tenders.services import wage_floors

    category = contract.category_ids[0] if contract.category_ids else ""
    return labour_cost.floor_for(wage_floors(), contract.office.country, category, on)


@transaction.atomic
def check_cost(
    contract,
    user,
    *,
    price,
    roles: list[dict],
    months,
    contribution_rate,
    other_costs: dict | None = None,
    on: dt.date | None = None,
) -> CostCheck:
    """The contract's price for ``months`` against the lawful cost of its labour — the same calculation
    as the tender's abnormally-low-bid check (``labour_cost.roles_at_floor`` and ``lawful_cost``)."""
    on = on or timezone.localdate()
    floor = floor_for(contract, on)
    if floor is None:
        raise ValueError(
            f"no wage floor for {contract.office.country} on {on}: load the legal minimum or the collective "
            "agreement (Tenders page, wage floors CSV) first"
        )
    other_costs = other_costs or {}
    cost = labour_cost.lawful_cost(
        labour_cost.roles_at_floor(roles, floor),
        months=months,
        contribution_rate=contribution_rate,
        other_costs=other_costs,
        currency=floor.currency,
    )
    result = labour_cost.check_price(price, cost)
    item = CostCheck.objects.create(
        contract=contract,
        price=labour_cost.money(result.price),
        currency=floor.currency,
        inputs={
            "roles": [{k: str(v) for k, v in r.items()} for r in roles],
            "months": str(months),
            "contribution_rate": str(contribution_rate),
            "other_costs": {k: str(v) for k, v in other_costs.items()},
        },
        lawful_cost=labour_cost.money(cost.total),
        below=result.below,
        breakdown=[[what, str(amount)] for what, amount in cost.lines()],
        wage_floor=floor.describe()[:500],
        checked_by=user,
    )
    _log(
        user,
        "monitoring.cost_checked",
        contract,
        price=str(item.price),
        lawful_cost=str(item.lawful_cost),
        below=item.below,
        wage_floor=item.wage_floor,
    )
    return item


# --- worker interviews ------------------------------------------------------------------------------


def new_pseudonym() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
    while True:
        code = "W-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not Interview.objects.filter(pseudonym=code).exists():
            return code


@transaction.atomic
def record_interview(
    contract,
    user,
    *,
    held_on: dt.date,
    consent: bool,
    language: str,
    interpreter: bool,
    place: str,
    no_manager_present: bool,
    sampling: str,
    answers: dict[str, str],
    notes: str = "",
    indicators: list[str] | None = None,
) -> Interview:
    """A pseudonymous interview; the answers and notes are sealed before they reach the database."""
    if not consent:
        raise ValueError("consent: an interview is recorded only with the worker's informed consent")
    if not no_manager_present:
        raise ValueError("no manager present: interviews are held with no manager present; hold it again")
    if not (language or "").strip():
        raise ValueError("language: say in which language the interview was held")
    if place not in Interview.Place.values:
        raise ValueError(f"place: {place!r} is not one of {', '.join(Interview.Place.values)}")
    if sampling not in Interview.Sampling.values:
        raise ValueError(f"sampling: {sampling!r} is not one of {', '.join(Interview.Sampling.values)}")
    known = checklists.indicators()
    unknown = sorted(set(answers) - set(known)) + sorted(set(indicators or []) - set(known))
    if unknown:
        raise ValueError(f"not ILO indicators: {', '.join(unknown)}")
    interview = Interview.objects.create(
        contract=contract,
        pseudonym=new_pseudonym(),
        held_on=held_on,
        consent=True,
        language=language.strip(),
        interpreter=interpreter,
        place=place,
        no_manager_present=True,
        sampling=sampling,
        answers_sealed=seal(
            json.dumps({k: v for k, v in answers.items() if v and v.strip()}, ensure_ascii=False)
        ),
        notes_sealed=seal(notes.strip()),
        indicators=[k for k in known if k in set(indicators or [])],
        interviewed_by=user,
    )
    _log(
        user,
        "monitoring.interview_recorded",
        contract,
        pseudonym=interview.pseudonym,
        indicators=interview.indicators,
    )
    return interview


def answers_of(interview: Interview) -> dict[str, str]:
    """The clear answers (focal-point views only)."""
    text = unseal(interview.answers_sealed)
    return json.loads(text) if text else {}


def notes_of(interview: Interview) -> str:
    return unseal(interview.notes_sealed)
