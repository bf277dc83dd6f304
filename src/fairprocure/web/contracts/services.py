"""Rolling an office's lines up into contracts, assessing a contract and moving its status.

Views, the API, the CLI and tests call these; each change a person makes goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils import timezone

from fairprocure.web.audit.log import record
from fairprocure.web.contracts import rollup
from fairprocure.web.contracts import status as st
from fairprocure.web.contracts.models import Assessment, Contract, StatusChange
from fairprocure.web.register.models import Line

FIGURES = [
    "line_count", "value_eur", "high_lines", "top_score", "top_level", "suppliers", "categories",
    "first_date", "last_date", "years", "contract_id", "supplier_key", "period", "rolled_up", "in_register",
    "link_keys",
]  # fmt: skip


def current_lines(office):
    """The office's lines in the register now."""
    return Line.objects.filter(office=office, current=True)


def lines_of(contract: Contract):
    """A contract's current lines, found by its key's parts (contract id, or supplier spellings and period)."""
    lines = current_lines(contract.office)
    if contract.contract_id:
        return lines.filter(contract_id=contract.contract_id)
    lines = lines.filter(contract_id="", supplier_name__in=contract.supplier_names or [""])
    if contract.period == rollup.UNDATED:
        return lines.filter(date__isnull=True)
    return lines.filter(date__year=int(contract.period)) if contract.period.isdigit() else lines.none()


def _groups(lines) -> list[dict]:
    rows = (
        lines.annotate(level_now=Coalesce(NullIf(F("decided_level"), Value("")), F("risk_level")))
        .annotate(year=ExtractYear("date"))
        .values("contract_id", "supplier_name", "year", "category", "category_label", "level_now")
        .annotate(
            lines=Count("id"),
            value_eur=Sum("value_eur"),
            top_score=Max("risk_score"),
            first_date=Min("date"),
            last_date=Max("date"),
        )
        .order_by()
    )
    return [dict(row, level=row["level_now"]) for row in rows]


@dataclass
class RollupResult:
    contracts: int
    created: int
    without_lines: int


def _fill(contract: Contract, found: rollup.Rollup, now) -> None:
    contract.contract_id, contract.supplier_key, contract.period = (
        found.contract_id,
        found.supplier_key,
        found.period,
    )
    contract.line_count, contract.value_eur, contract.high_lines = (
        found.lines,
        found.value_eur,
        found.high_lines,
    )
    contract.top_score, contract.top_level = found.top_score, found.top_level
    contract.suppliers = [
        {"name": name, "value_eur": value}
        for name, value in sorted(found.suppliers.items(), key=lambda i: -i[1])
    ]
    contract.categories = [
        {"category": c, "label": found.category_labels.get(c, c), "value_eur": v}
        for c, v in sorted(found.categories.items(), key=lambda i: -i[1])
    ]
    contract.first_date, contract.last_date = found.first_date, found.last_date
    contract.years = sorted(found.years)
    contract.link_keys = rollup.link_keys(found.categories, found.suppliers)
    contract.rolled_up, contract.in_register = now, True


@transaction.atomic
def roll_up_office(office) -> RollupResult:
    """Create or refresh the office's contracts from its current lines; nothing is ever deleted.

    A contract whose lines are no longer in the register keeps its last figures, its assessments and
    everything attached to it, and is marked as not in the register.
    """
    found = rollup.roll_up(_groups(current_lines(office)))
    existing = {c.key: c for c in Contract.objects.filter(office=office)}
    now = timezone.now()
    new, changed = [], []
    for key, figures in found.items():
        contract = existing.get(key) or Contract(office=office, key=key)
        _fill(contract, figures, now)
        (changed if contract.pk else new).append(contract)
    gone = [c for key, c in existing.items() if key not in found and c.in_register]
    for contract in gone:
        contract.in_register = False
    Contract.objects.bulk_create(new, batch_size=1000)
    Contract.objects.bulk_update(changed, FIGURES, batch_size=1000)
    Contract.objects.bulk_update(gone, ["in_register"], batch_size=1000)
    return RollupResult(contracts=len(found), created=len(new), without_lines=len(gone))


def roll_up_after_store(sender, office, **kwargs) -> None:
    """Receiver of ``register.store.lines_stored``: a screening's lines are in, refresh the contracts."""
    result = roll_up_office(office)
    record(
        "screening",
        "contracts.rolled_up",
        office=office,
        target=office.code,
        details={"contracts": result.contracts, "new": result.created, "without_lines": result.without_lines},
    )


def refresh_after_decision(sender, line, **kwargs) -> None:
    """Receiver of ``register.decisions.risk_decided``: the line's contract takes its new level."""
    key = rollup.contract_key(line.contract_id, line.supplier_name, line.date)
    contract = Contract.objects.filter(office=line.office, key=key).first()
    if contract is None:
        return
    found = rollup.roll_up(_groups(lines_of(contract))).get(key)
    if found is not None:
        _fill(contract, found, timezone.now())
        contract.save(update_fields=FIGURES)


MIN_TEXT = 10


@transaction.atomic
def assess(contract: Contract, high_risk: bool, justification: str, measures: str, user) -> Assessment:
    """Record a focal point's assessment; confirming high risk needs the measures required."""
    justification, measures = (justification or "").strip(), (measures or "").strip()
    if len(justification) < MIN_TEXT:
        raise ValueError(f"justification: write at least {MIN_TEXT} characters saying why")
    if high_risk and not measures:
        raise ValueError("measures: say which measures the confirmed risk requires")
    assessment = Assessment.objects.create(
        contract=contract,
        high_risk=high_risk,
        justification=justification,
        measures=measures,
        assessed_by=user,
    )
    old = contract.status
    contract.high_risk, contract.assessed_at = high_risk, assessment.at
    contract.status = st.after_assessment(old)
    contract.save(update_fields=["high_risk", "assessed_at", "status"])
    record(
        user,
        "contract.assessed",
        office=contract.office,
        target=contract.label,
        details={
            "contract": contract.pk,
            "potentially_high_risk": high_risk,
            "justification": justification,
            "measures": measures,
            "status": [old, contract.status],
        },
    )
    return assessment


@transaction.atomic
def change_status(contract: Contract, new: str, note: str, user) -> StatusChange:
    """Move a contract along its life (tender, in force, closed); the move must be one of status.MOVES."""
    old = contract.status
    if new not in Contract.Status.values:
        raise ValueError(f"status {new!r} is not one of {', '.join(Contract.Status.values)}")
    if not st.can_move(old, new):
        raise ValueError(f"a contract cannot go from {old} to {new}")
    change = StatusChange.objects.create(
        contract=contract, old=old, new=new, note=(note or "").strip(), changed_by=user
    )
    contract.status = new
    contract.save(update_fields=["status"])
    record(
        user,
        "contract.status",
        office=contract.office,
        target=contract.label,
        details={"contract": contract.pk, "from": old, "to": new, "note": change.note},
    )
    return change
