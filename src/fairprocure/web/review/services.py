"""The review queue and people's classification decisions: taking, withdrawing, exporting, importing.

A decision classifies every matching line of its scope — one office, or every office of the
organisation — at once (:mod:`fairprocure.web.review.rescore` re-scores those lines with the library)
and in every later screening (the job passes the decisions in force to ``screen(decisions=...)``).
Matching is the library's (:class:`fairprocure.classify.decisions.Decisions`): a description matches
every line whose description reads the same once normalised, a supplier every line of that supplier;
the more specific decision wins, and for the same thing an office's own decision wins over the
organisation's. Lines whose data give a classification code keep it: a code beats a decision.

The decision file is the CLI's (``fairprocure screen --decisions FILE``): columns ``description``,
``supplier``, ``cpv``, ``category``, ``note``; an export can be screened with as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fairprocure.classify.decisions import Decision, Decisions, decisions_from_rows
from fairprocure.classify.normalise import normalise
from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy, normalise_cpv
from fairprocure.score.evidence import supplier_key
from fairprocure.web.audit.log import record
from fairprocure.web.offices.models import Office
from fairprocure.web.register.models import Line
from fairprocure.web.review.memory import Remembered, learn, lines_to_refresh
from fairprocure.web.review.models import CategoryDecision

REVIEW = ("needs_review", "unclassified")  # the classification statuses the queue lists
# The CLI's --decisions columns (learned_from: a remembered supplier category, see review/memory.py)
FILE_COLUMNS = ["description", "supplier", "cpv", "category", "note", "learned_from"]
EXPORT_COLUMNS = [*FILE_COLUMNS, "scope", "decided_by", "decided_at"]  # the last three: for people


class DecisionError(ValueError):
    """The decision cannot be taken; the message says why."""


# --- the queue --------------------------------------------------------------------------------------


@dataclass
class Candidate:
    category: str
    cpv: str
    probability: float  # 0..1: the text model's probability, or a supplier's share of spend


@dataclass
class QueueItem:
    """One distinct description (or supplier) whose lines need review, with what they may be."""

    kind: str  # "description" or "supplier"
    text: str  # the most common spelling
    key: str  # normalised description or supplier key
    lines: int = 0
    spend_eur: float = 0.0
    offices: set[str] = field(default_factory=set)
    candidates: list[Candidate] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def review_lines(offices):
    """Current lines of ``offices`` a person should classify: the text model is not sure, or found nothing."""
    return Line.objects.filter(office__in=offices, current=True, classification_status__in=REVIEW)


def queue(offices, by: str = "description", q: str = "") -> list[QueueItem]:
    """The distinct descriptions (``by="description"``) or suppliers whose lines need review in
    ``offices``, largest spend first (value in euros summed over their lines).

    A description's candidates are the text model's (the same for every line with that text); a
    supplier's are the categories its lines were read as, with their share of its spend."""
    lines = review_lines(offices)
    if q:
        lines = lines.filter(Q(description__icontains=q) | Q(supplier_name__icontains=q))
    column = "description" if by == "description" else "supplier_name"
    keyed = normalise if by == "description" else supplier_key
    rows = (
        lines.values(column, "office__code")
        .annotate(n=Count("id"), spend=Coalesce(Sum("value_eur"), 0.0))
        .order_by()
    )
    items: dict[str, QueueItem] = {}
    for row in rows:
        text = row[column] or ""
        key = keyed(text)
        if not key:  # nothing to match on: no usable description / no supplier name
            continue
        item = items.setdefault(key, QueueItem(by, text, key))
        item.lines += row["n"]
        item.spend_eur += row["spend"] or 0.0
        item.offices.add(row["office__code"])
        item.spellings[text] = item.spellings.get(text, 0) + row["n"]
    for item in items.values():
        item.text = max(item.spellings.items(), key=lambda kv: (kv[1], kv[0]))[0]
    if by == "description":
        _description_candidates(lines, items)
    else:
        _supplier_candidates(lines, items)
    return sorted(items.values(), key=lambda i: (-i.spend_eur, -i.lines, i.text))


def _description_candidates(lines, items: dict[str, QueueItem]) -> None:
    wanted = {s for item in items.values() for s in item.spellings}
    seen: set[str] = set()
    for text, candidates in (
        lines.filter(description__in=list(wanted)[:5000])
        .values_list("description", "category_candidates")
        .distinct()
        .iterator()
    ):
        key = normalise(text)
        if key in seen or key not in items or not candidates:
            continue
        seen.add(key)
        try:
            parsed = orjson.loads(candidates)
        except orjson.JSONDecodeError:
            continue
        items[key].candidates = [
            Candidate(c.get("category", ""), c.get("cpv", ""), float(c.get("probability") or 0))
            for c in parsed
        ]


def _supplier_candidates(lines, items: dict[str, QueueItem]) -> None:
    rows = (
        lines.values("supplier_name", "category", "cpv")
        .annotate(spend=Coalesce(Sum("value_eur"), 0.0), n=Count("id"))
        .order_by()
    )
    shares: dict[str, dict[str, list]] = {}
    for row in rows:
        key = supplier_key(row["supplier_name"] or "")
        if key not in items or not row["category"] or row["category"] == UNCLASSIFIED:
            continue
        entry = shares.setdefault(key, {}).setdefault(row["category"], [0.0, row["cpv"] or "", 0])
        entry[0] += row["spend"] or 0.0
        entry[2] += row["n"]
    for key, by_category in shares.items():
        item = items[key]
        total = sum(v[0] for v in by_category.values()) or 0.0
        ranked = sorted(by_category.items(), key=lambda kv: (-kv[1][0], -kv[1][2]))
        item.candidates = [
            Candidate(cat, cpv, (spend / total) if total else n / max(item.lines, 1))
            for cat, (spend, cpv, n) in ranked[:4]
        ]


# --- decisions in force -----------------------------------------------------------------------------


def in_force(office: Office):
    """The decisions in force for ``office``: the organisation's, then the office's own (which win)."""
    found = CategoryDecision.objects.filter(organisation_id=office.organisation_id, in_force=True)
    return [
        *found.filter(office__isnull=True).order_by("at", "pk"),
        *found.filter(office=office).order_by("at", "pk"),
    ]


def library_decisions(decisions: Iterable[CategoryDecision], memory: Iterable[Remembered] = ()) -> Decisions:
    """Web decisions (and remembered supplier categories) as the library's :class:`Decisions` (later
    ones win for the same thing)."""
    return Decisions(
        [
            *(m.decision() for m in memory),
            *(
                Decision(d.description, d.supplier, d.cpv or None, d.category or None, d.note)
                for d in decisions
            ),
        ]
    )


def decisions_for(office: Office, memory: dict[str, Remembered] | None = None) -> Decisions:
    """What classifies the office's lines besides codes and text: its decisions in force and its
    supplier memory (``memory``: already learned, else learned now)."""
    if memory is None:
        memory = learn(office)
    return library_decisions(in_force(office), memory.values())


def category_label(category: str) -> str:
    found = load_taxonomy().categories.get(category)
    return found.label if found else category


def describe(decision: CategoryDecision) -> str:
    """For the audit log: 'service support' → Consulting (…), for office uk."""
    where = f"for office {decision.office.code}" if decision.office_id else "for the whole organisation"
    code = f", CPV {decision.cpv}" if decision.cpv else ""
    return f"{decision.what()} → {category_label(decision.category)}{code}, {where}"


def _clean(description: str, supplier: str, category: str, cpv: str) -> tuple[str, str, str, str]:
    description, supplier = (description or "").strip(), (supplier or "").strip()
    category, cpv = (category or "").strip(), (cpv or "").strip()
    if not normalise(description) and not supplier_key(supplier):
        raise DecisionError("a decision needs a description or a supplier")
    code = ""
    if cpv:
        code = normalise_cpv(cpv) or ""
        if not code:
            raise DecisionError(f"{cpv!r} is not a CPV code")
    categories = load_taxonomy().categories
    if not category and code:
        from fairprocure.classify.taxonomy import category_for_cpv

        category = category_for_cpv(code) or ""
    if category not in categories:
        raise DecisionError(f"{category!r} is not a category of the taxonomy")
    return description, supplier, category, code


@transaction.atomic
def decide(
    actor,
    office: Office,
    *,
    organisation_wide: bool = False,
    description: str = "",
    supplier: str = "",
    category: str = "",
    cpv: str = "",
    note: str = "",
    apply_now: bool = True,
) -> CategoryDecision:
    """Record a decision for ``office`` (or, ``organisation_wide``, every office of its organisation),
    end the one it replaces, classify every matching line now and write it to the audit log.

    Permissions are the caller's (views and API ask :func:`~fairprocure.web.accounts.permissions.authorize`)."""
    description, supplier, category, cpv = _clean(description, supplier, category, cpv)
    name = getattr(actor, "username", None) or str(actor)
    scope_office = None if organisation_wide else office
    decision = CategoryDecision(
        organisation_id=office.organisation_id,
        office=scope_office,
        description=description,
        description_key=normalise(description)[:500],
        supplier=supplier,
        supplier_key=supplier_key(supplier)[:500],
        category=category,
        cpv=cpv,
        note=(note or "").strip(),
        decided_by=name,
    )
    earlier = CategoryDecision.objects.filter(
        organisation_id=office.organisation_id,
        office=scope_office,
        description_key=decision.description_key,
        supplier_key=decision.supplier_key,
        in_force=True,
    )
    replaced = list(earlier.values_list("pk", flat=True))
    earlier.update(
        in_force=False, ended_how=CategoryDecision.Ended.REPLACED, ended_by=name, ended_at=timezone.now()
    )
    decision.save()
    counts = apply([decision], scope_offices(decision)) if apply_now else Applied()
    if apply_now:
        remember(scope_offices(decision))
    CategoryDecision.objects.filter(pk=decision.pk).update(lines=counts.lines, spend_eur=counts.spend_eur)
    decision.lines, decision.spend_eur = counts.lines, counts.spend_eur
    record(
        actor,
        "classification.decided",
        office=scope_office,
        target=describe(decision),
        details={
            "decision": decision.pk,
            "scope": decision.scope,
            "description": description[:300],
            "supplier": supplier,
            "category": category,
            "cpv": cpv,
            "note": decision.note[:500],
            "lines": counts.lines,
            "spend_eur": round(counts.spend_eur, 2),
            "offices": counts.offices,
            "replaces": replaced,
        },
    )
    return decision


@transaction.atomic
def withdraw(actor, decision: CategoryDecision) -> CategoryDecision:
    """End a decision: its lines go back to the other decisions in force or to the text model's reading."""
    if not decision.in_force:
        raise DecisionError("this decision is no longer in force")
    name = getattr(actor, "username", None) or str(actor)
    CategoryDecision.objects.filter(pk=decision.pk).update(
        in_force=False, ended_how=CategoryDecision.Ended.WITHDRAWN, ended_by=name, ended_at=timezone.now()
    )
    decision.refresh_from_db()
    counts = apply([decision], scope_offices(decision))
    remember(scope_offices(decision))
    record(
        actor,
        "classification.withdrawn",
        office=decision.office,
        target=describe(decision),
        details={"decision": decision.pk, "lines": counts.lines, "offices": counts.offices},
    )
    return decision


def scope_offices(decision: CategoryDecision):
    if decision.office_id:
        return Office.objects.filter(pk=decision.office_id)
    return Office.objects.filter(organisation_id=decision.organisation_id)


@dataclass
class Applied:
    lines: int = 0
    spend_eur: float = 0.0
    offices: list[str] = field(default_factory=list)


def matching_lines(decisions: Iterable[CategoryDecision], offices) -> dict[int, list[int]]:
    """Per office pk, the current lines (pks) any of ``decisions`` matches, source-coded lines aside."""
    wanted = library_decisions(decisions)
    if not wanted:
        return {}
    described = {d.description_key for d in decisions if d.description_key}
    supplied = {d.supplier_key for d in decisions if d.supplier_key}
    out: dict[int, list[int]] = {}
    text_keys: dict[str, str] = {}
    who_keys: dict[str, str] = {}
    rows = (
        Line.objects.filter(office__in=offices, current=True)
        .exclude(classification_status="source")
        .values_list("pk", "office_id", "description", "supplier_name")
    )
    for pk, office_id, text, who in rows.iterator(chunk_size=20_000):
        if text not in text_keys:
            text_keys[text] = normalise(text)
        if who not in who_keys:
            who_keys[who] = supplier_key(who)
        if (text_keys[text] in described or who_keys[who] in supplied) and wanted.match(text, who):
            out.setdefault(office_id, []).append(pk)
    return out


def apply(decisions: list[CategoryDecision], offices) -> Applied:
    """Re-classify and re-score, with every office's decisions in force, the lines ``decisions`` match."""
    from fairprocure.web.review.rescore import rescore

    counts = Applied()
    for office_id, pks in matching_lines(decisions, offices).items():
        office = Office.objects.select_related("organisation").get(pk=office_id)
        changed = rescore(office, pks)
        counts.lines += changed
        counts.spend_eur += (
            Line.objects.filter(pk__in=pks).aggregate(s=Coalesce(Sum("value_eur"), 0.0))["s"] or 0.0
        )
        counts.offices.append(office.code)
    return counts


def remember(offices) -> int:
    """Bring the offices' supplier memory and its lines up to date after decisions changed; returns the
    lines changed.

    A remembered supplier's lines waiting for review are filed under its category; lines filed by a
    memory that is gone or changed go back to what the text and the decisions say."""
    from fairprocure.web.review.rescore import rescore

    changed = 0
    for office in offices.select_related("organisation"):
        memory = learn(office)
        pks = lines_to_refresh(office, memory)
        n = rescore(office, pks, memory=memory) if pks else 0
        if n:
            changed += n
            said = "; ".join(
                f"{m.supplier} → {category_label(m.category)} ({m.learned_from} decided descriptions)"
                for m in memory.values()
            )
            record(
                "supplier memory",
                "classification.remembered",
                office=office,
                target=f"{n} lines of office {office.code} filed by the supplier memory: {said or 'none now'}",
                details={
                    "lines": n,
                    "memory": {m.supplier: [m.category, m.learned_from] for m in memory.values()},
                },
            )
    return changed


# --- the decision file ------------------------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection (ops' fairprocure.spreadsheet rule)


def _safe(value: str) -> str:
    """Text that would start a formula in a spreadsheet gets a leading apostrophe (matching ignores it)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(
    decisions: Iterable[CategoryDecision], memory: Iterable[Remembered] = (), for_people: bool = True
) -> str:
    """The decisions and the supplier memory as the CLI's decision file (``fairprocure screen --decisions
    FILE``), plus scope, who and when.

    ``for_people``: a download, safe to open in a spreadsheet; else the file a screening reads, verbatim."""
    safe_row = (lambda row: [_safe(str(v)) for v in row]) if for_people else list
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for m in memory:
        writer.writerow(safe_row(["", m.supplier, "", m.category, "", m.learned_from, "memory", "", ""]))
    for d in decisions:
        scope = f"office {d.office.code}" if d.office_id else "organisation"
        row = [
            d.description,
            d.supplier,
            d.cpv,
            d.category,
            d.note,
            "",
            scope,
            d.decided_by,
            d.at.isoformat(),
        ]
        writer.writerow(safe_row(row))
    return out.getvalue()


def read_file(data: bytes, name: str) -> list[Decision]:
    """The rows of an uploaded decision file, checked by the library (errors name the file, row and column)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecisionError(f"{name}: not UTF-8 text; save the decision file as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().lower() for c in reader.fieldnames or ()}
    if not columns & {"description", "supplier"} or not columns & {"cpv", "category"}:
        raise DecisionError(
            f"{name}: a decision file needs a description or supplier column and a cpv or category column; "
            f"found {', '.join(reader.fieldnames or ()) or 'no header'}"
        )
    try:
        return decisions_from_rows(reader, name).decisions
    except ValueError as exc:
        raise DecisionError(str(exc)) from None


@transaction.atomic
def import_file(actor, office: Office, data: bytes, name: str, *, organisation_wide: bool = False) -> int:
    """Take every decision of a decision file (all or none); returns how many were taken."""
    rows = [d for d in read_file(data, name) if not d.remembered]  # a memory is learned, not imported
    taken = [
        decide(
            actor,
            office,
            organisation_wide=organisation_wide,
            description=d.description,
            supplier=d.supplier,
            category=d.category or "",
            cpv=d.cpv or "",
            note=d.note,
            apply_now=False,
        )
        for d in rows
    ]
    offices = Office.objects.filter(organisation_id=office.organisation_id)
    offices = offices if organisation_wide else offices.filter(pk=office.pk)
    counts = apply(taken, offices) if taken else Applied()
    remember(offices)
    record(
        actor,
        "classification.imported",
        office=None if organisation_wide else office,
        target=f"{len(taken)} decisions from {name}, "
        + ("for the whole organisation" if organisation_wide else f"for office {office.code}"),
        details={"file": name, "decisions": len(taken), "lines": counts.lines, "offices": counts.offices},
    )
    return len(taken)
