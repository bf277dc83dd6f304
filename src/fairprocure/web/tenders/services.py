"""Working on a tender dossier: stages, sign-offs, clauses, criteria, price checks, briefing, signature.

Views, the API and tests call these; every change a person makes goes to the audit log.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from fairprocure import labour_cost
from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.reference.countries import to_iso3
from fairprocure.web.audit.log import record
from fairprocure.web.clauses.models import Clause, ClauseVersion
from fairprocure.web.tenders import criteria as rules
from fairprocure.web.tenders import gates
from fairprocure.web.tenders.guidance import STAGES, guide, starter_criteria
from fairprocure.web.tenders.language import office_language
from fairprocure.web.tenders.models import (
    Attachment,
    ChosenClause,
    Criterion,
    Dossier,
    PriceCheck,
    StageRecord,
    WageFloorRow,
)


def _log(user, action: str, dossier: Dossier, **details) -> None:
    record(
        user, action, office=dossier.office, target=dossier.title, details={"dossier": dossier.pk, **details}
    )


def _signed(dossier: Dossier) -> None:
    if dossier.signed:
        raise ValueError("the contract is signed: the dossier is closed to changes")


@transaction.atomic
def create_dossier(
    office,
    user,
    *,
    title: str,
    category: str,
    countries=(),
    contract=None,
    language: str = "",
    estimated_value=None,
    currency: str = "",
    heightened: bool | None = None,
) -> Dossier:
    """A dossier with its five stages; language defaults to the office's, heightened to the contract's risk."""
    title = " ".join((title or "").split())
    if not title:
        raise ValueError("title: say what is being bought, e.g. 'office cleaning'")
    if category not in load_taxonomy().categories:
        raise ValueError(f"category: {category!r} is not a category of the taxonomy")
    if contract is not None and contract.office_id != office.pk:
        raise ValueError("contract: choose a contract of the dossier's office")
    codes = []
    for raw in [office.country, *countries]:
        iso3 = to_iso3(raw) if raw else None
        if raw and iso3 is None:
            raise ValueError(f"countries: {raw!r} is not a known country")
        if iso3 and iso3 not in codes:
            codes.append(iso3)
    language = language or office_language(office.country)
    if language not in ("en", "ru"):
        raise ValueError("language: en or ru")
    if heightened is None:
        cat = load_taxonomy().categories[category]
        heightened = bool(contract and contract.high_level) or (
            cat.labour_intensity == "high" and cat.vulnerable_workforce
        )
    dossier = Dossier.objects.create(
        office=office,
        contract=contract,
        kind=Dossier.Kind.RENEWAL if contract else Dossier.Kind.NEW,
        title=title,
        category=category,
        countries=codes,
        language=language,
        heightened=heightened,
        social_minimum=rules.DEFAULT_SOCIAL_MINIMUM if heightened else None,
        estimated_value=Decimal(str(estimated_value)) if estimated_value not in (None, "") else None,
        currency=(currency or "").upper(),
        created_by=user,
    )
    StageRecord.objects.bulk_create([StageRecord(dossier=dossier, stage=s) for s in STAGES])
    _log(
        user,
        "tender.created",
        dossier,
        category=category,
        countries=codes,
        language=language,
        heightened=heightened,
        contract=contract.label if contract else None,
    )
    return dossier


@transaction.atomic
def update_stage(record_: StageRecord, user, *, checked: dict[str, bool], decisions: str) -> StageRecord:
    _signed(record_.dossier)
    if record_.signed_off:
        raise ValueError("the stage is signed off; its record no longer changes")
    known = {i.key for i in guide(record_.dossier.category, record_.stage).checklist}
    record_.checked = {k: bool(v) for k, v in checked.items() if k in known}
    record_.decisions = (decisions or "").strip()
    record_.save(update_fields=["checked", "decisions"])
    _log(
        user,
        "tender.stage_updated",
        record_.dossier,
        stage=record_.stage,
        done=sorted(k for k, v in record_.checked.items() if v),
        decisions=record_.decisions,
    )
    return record_


def briefings(dossier: Dossier) -> list:
    """The pre-tender briefings recorded for the dossier (activities of dd1's activities app)."""
    if not apps.is_installed("fairprocure.web.activities"):
        return []
    from fairprocure.web.activities.models import Activity

    return list(
        Activity.objects.filter(
            office=dossier.office, kind="pre_tender_briefing", materials__contains=marker(dossier)
        )
    )


def marker(dossier: Dossier) -> str:
    return f"tender dossier #{dossier.pk}"


def facts(dossier: Dossier) -> gates.Facts:
    return gates.Facts(
        clauses_chosen=dossier.chosen.count(),
        briefings=len(briefings(dossier)) if apps.is_installed("fairprocure.web.activities") else None,
        criteria_problems=tuple(criteria_problems(dossier)),
        annex_generated=_annex_generated(dossier),
    )


def _annex_generated(dossier: Dossier) -> bool:
    from fairprocure.web.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        action="tender.annex", office=dossier.office, details__dossier=dossier.pk
    ).exists()


def states(dossier: Dossier) -> list[gates.StageState]:
    return [
        gates.StageState(
            s.stage,
            [i.key for i in guide(dossier.category, s.stage).checklist],
            s.checked,
            s.decisions,
            s.signed_off,
        )
        for s in dossier.stage_records()
    ]


def blockers(dossier: Dossier, stage: str) -> list[str]:
    return gates.blockers(states(dossier), stage, facts(dossier))


@transaction.atomic
def sign_off(record_: StageRecord, user, note: str = "") -> StageRecord:
    """A focal point signs the stage off; the gate's conditions must hold."""
    dossier = record_.dossier
    _signed(dossier)
    found = blockers(dossier, record_.stage)
    if found:
        raise ValueError("; ".join(found))
    record_.signed_off_by, record_.signed_off_at = user, timezone.now()
    record_.sign_off_note = (note or "").strip()
    record_.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_note"])
    _log(user, "tender.signed_off", dossier, stage=record_.stage, note=record_.sign_off_note)
    return record_


@transaction.atomic
def attach(dossier: Dossier, stage: str, user, title: str, upload) -> Attachment:
    _signed(dossier)
    if stage not in STAGES:
        raise ValueError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    name = getattr(upload, "name", "document")
    item = Attachment(
        dossier=dossier, stage=stage, title=(title or name).strip()[:300], name=name[:300], uploaded_by=user
    )
    item.file.save(name, upload, save=False)
    item.save()
    _log(user, "tender.attached", dossier, stage=stage, title=item.title, file=name)
    return item


# --- clauses -------------------------------------------------------------------------------------------


def suggested_clauses(dossier: Dossier) -> list[Clause]:
    """Library clauses for the dossier's category and tier (heightened dossiers get both tiers)."""
    tiers = {Clause.Tier.LOWER, Clause.Tier.HEIGHTENED} if dossier.heightened else {Clause.Tier.LOWER}
    return [
        c for c in Clause.objects.all() if c.applies_to(dossier.category) and c.tier in tiers and c.current()
    ]


@transaction.atomic
def choose_clause(dossier: Dossier, clause: Clause, user) -> ChosenClause:
    """Add ``clause`` at its current approved version, or move a chosen one to its current version."""
    _signed(dossier)
    version = clause.current()
    if version is None:
        raise ValueError(f"clause {clause.key} has no approved version yet: a focal point approves one first")
    chosen, created = ChosenClause.objects.update_or_create(
        dossier=dossier, clause=clause, defaults={"version": version, "chosen_by": user}
    )
    _log(
        user,
        "tender.clause_chosen" if created else "tender.clause_updated",
        dossier,
        clause=clause.key,
        version=version.number,
    )
    return chosen


@transaction.atomic
def drop_clause(dossier: Dossier, clause: Clause, user) -> None:
    _signed(dossier)
    dossier.chosen.filter(clause=clause).delete()
    _log(user, "tender.clause_dropped", dossier, clause=clause.key)


# --- criteria ------------------------------------------------------------------------------------------


def plain_criteria(dossier: Dossier) -> list[rules.Criterion]:
    return [
        rules.Criterion(
            c.kind,
            c.title_en,
            c.weight,
            c.social,
            c.guidance_en,
        )
        for c in dossier.criteria.all()
    ]


def criteria_problems(dossier: Dossier) -> list[str]:
    return rules.problems(plain_criteria(dossier), dossier.social_minimum)


@transaction.atomic
def add_starter_criteria(dossier: Dossier, user) -> int:
    """The starter set (guidance.toml) the dossier lacks: the declaration, price, quality, the labour plan."""
    _signed(dossier)
    have = set(dossier.criteria.values_list("title_en", flat=True))
    new = []
    for n, c in enumerate(starter_criteria()):
        if (c.get("heightened") and not dossier.heightened) or c["title_en"] in have:
            continue
        new.append(
            Criterion(
                dossier=dossier,
                kind=c["kind"],
                title_en=c["title_en"],
                title_ru=c["title_ru"],
                weight=Decimal(c["weight"]) if c.get("weight") else None,
                social=c["social"],
                guidance_en=c["guidance_en"],
                guidance_ru=c["guidance_ru"],
                order=n,
            )
        )
    Criterion.objects.bulk_create(new)
    _log(user, "tender.criteria_added", dossier, criteria=[c.title_en for c in new])
    return len(new)


@transaction.atomic
def save_criterion(dossier: Dossier, user, criterion: Criterion | None = None, **fields) -> Criterion:
    _signed(dossier)
    item = criterion or Criterion(
        dossier=dossier, order=(dossier.criteria.aggregate(n=Max("order"))["n"] or 0) + 1
    )
    for name, value in fields.items():
        setattr(item, name, value)
    if item.kind == Criterion.Kind.SELECTION:
        item.weight = None
    item.save()
    _log(
        user,
        "tender.criterion_saved",
        dossier,
        criterion=item.title_en,
        kind=item.kind,
        weight=str(item.weight) if item.weight is not None else None,
        social=item.social,
    )
    return item


@transaction.atomic
def delete_criterion(criterion: Criterion, user) -> None:
    _signed(criterion.dossier)
    criterion.delete()
    _log(user, "tender.criterion_deleted", criterion.dossier, criterion=criterion.title_en)


# --- wage floors and price checks -------------------------------------------------------------------------


def wage_floors() -> list[labour_cost.WageFloor]:
    return [
        labour_cost.WageFloor(
            r.country,
            r.sector,
            r.amount,
            r.currency,
            r.period,
            r.normal_hours,
            r.valid_from,
            r.kind,
            r.source,
        )
        for r in WageFloorRow.objects.all()
    ]


@transaction.atomic
def load_wage_floors(rows, name: str, actor) -> int:
    """Add or replace wage floors from CSV rows (see ``labour_cost.CSV_COLUMNS``); all or nothing."""
    floors = labour_cost.parse_wage_floors(rows, name)
    who = getattr(actor, "username", None) or str(actor)
    for f in floors:
        WageFloorRow.objects.update_or_create(
            country=f.country,
            sector=f.sector,
            kind=f.kind,
            valid_from=f.valid_from,
            currency=f.currency,
            defaults={
                "amount": f.amount,
                "period": f.period,
                "normal_hours": f.normal_hours,
                "source": f.source,
                "loaded_by": who,
            },
        )
    record(
        actor,
        "wage_floors.loaded",
        target=name,
        details={"rows": len(floors), "countries": sorted({f.country for f in floors})},
    )
    return len(floors)


def floor_for(dossier: Dossier, on: dt.date | None = None) -> labour_cost.WageFloor | None:
    return labour_cost.floor_for(
        wage_floors(), dossier.office.country, dossier.category, on or timezone.localdate()
    )


@transaction.atomic
def check_bid(
    dossier: Dossier,
    user,
    *,
    bidder: str,
    price,
    roles: list[dict],
    months,
    contribution_rate,
    other_costs: dict,
    on: dt.date | None = None,
) -> PriceCheck:
    """Check a bid against the lawful cost of the labour it needs, at the binding wage floor.

    Each role is ``{name, headcount, hours_per_month, overtime_hours_per_month?, overtime_premium?,
    hourly_wage?}``; a role's wage is the floor in force, or the rate given when it is higher.
    """
    _signed(dossier)
    if not (bidder or "").strip():
        raise ValueError("bidder: name the bidder")
    floor = floor_for(dossier, on)
    if floor is None:
        raise ValueError(
            f"no wage floor for {dossier.office.country} / {dossier.category} on that date: load the legal minimum "
            "or the collective agreement (CSV) first"
        )
    cost = labour_cost.lawful_cost(
        labour_cost.roles_at_floor(roles, floor),
        months=months,
        contribution_rate=contribution_rate,
        other_costs=other_costs,
        currency=floor.currency,
    )
    result = labour_cost.check_price(price, cost)
    item = PriceCheck.objects.create(
        dossier=dossier,
        bidder=bidder.strip(),
        price=labour_cost.money(result.price),
        currency=floor.currency,
        inputs={
            "roles": [{k: str(v) for k, v in r.items()} for r in roles],
            "months": str(months),
            "contribution_rate": str(contribution_rate),
            "other_costs": {k: str(v) for k, v in other_costs.items()},
            "wage_floor": floor.describe(),
        },
        lawful_cost=labour_cost.money(cost.total),
        below=result.below,
        breakdown=[[what, str(amount)] for what, amount in cost.lines()],
        checked_by=user,
    )
    _log(
        user,
        "tender.price_checked",
        dossier,
        bidder=item.bidder,
        price=str(item.price),
        lawful_cost=str(item.lawful_cost),
        below=item.below,
        wage_floor=floor.describe(),
    )
    return item


# --- briefing, signature, suppliers today -----------------------------------------------------------------


@transaction.atomic
def record_briefing(
    dossier: Dossier, user, *, date, participants: int, roles=(), summary: str = "", suppliers=()
):
    """The pre-tender briefing, recorded as an engagement activity (counted by the activities' KPIs)."""
    _signed(dossier)
    if not apps.is_installed("fairprocure.web.activities"):
        raise ValueError("the activities module is not installed: briefings are recorded there")
    from fairprocure.web.activities.services import record_activity

    activity = record_activity(
        dossier.office,
        user,
        kind="pre_tender_briefing",
        title=f"Pre-tender briefing: {dossier.title}",
        date=date,
        participants=participants,
        participant_roles=list(roles),
        summary=summary,
        materials=marker(dossier),
        contracts=[dossier.contract] if dossier.contract else [],
        suppliers=list(suppliers),
    )
    _log(user, "tender.briefing", dossier, activity=activity.pk, date=str(date), participants=participants)
    return activity


@transaction.atomic
def sign_contract(dossier: Dossier, user, *, signed_on: dt.date, contract=None) -> Dossier:
    """Record the signature: every stage signed off; the chosen clause versions are frozen from now on."""
    _signed(dossier)
    open_stages = [s.stage for s in dossier.stage_records() if not s.signed_off]
    if open_stages:
        raise ValueError(f"sign off every stage first: {', '.join(open_stages)}")
    if contract is not None:
        if contract.office_id != dossier.office_id:
            raise ValueError("contract: choose a contract of the dossier's office")
        dossier.contract = contract
    dossier.signed_on, dossier.signed_by = signed_on, user
    dossier.save(update_fields=["signed_on", "signed_by", "contract"])
    _log(
        user,
        "tender.contract_signed",
        dossier,
        signed_on=str(signed_on),
        contract=dossier.contract.label if dossier.contract else None,
        clauses={c.clause.key: c.version.number for c in dossier.chosen.select_related("clause", "version")},
    )
    return dossier


def current_suppliers(category: str, offices, limit: int = 25) -> list[dict]:
    """Who supplies ``category`` today in ``offices`` (register lines): value, lines, highest risk, evidence."""
    from fairprocure.web.register.models import Line

    lines = Line.objects.filter(office__in=offices, category=category).exclude(supplier_name="")
    rows = (
        lines.values("supplier_name", "office__code")
        .annotate(value=Sum("value_eur"), n=Count("id"), top=Max("risk_score"))
        .order_by("-top", "-value")[:limit]
    )
    out = []
    for row in rows:
        top = (
            lines.filter(supplier_name=row["supplier_name"], office__code=row["office__code"])
            .order_by("-risk_score", "pk")
            .first()
        )
        evidence = sorted(top.factor_list(), key=lambda f: -f.get("points", 0))[:3] if top else []
        out.append(
            {
                "supplier": row["supplier_name"],
                "office": row["office__code"],
                "value_eur": row["value"] or 0,
                "lines": row["n"],
                "score": row["top"],
                "level": top.level if top else "",
                "line": top.pk if top else None,
                "evidence": [f"{f.get('factor')}: {f.get('evidence')}" for f in evidence],
            }
        )
    return out


def version_of(dossier: Dossier, clause: Clause) -> ClauseVersion | None:
    chosen = dossier.chosen.filter(clause=clause).select_related("version").first()
    return chosen.version if chosen else None
