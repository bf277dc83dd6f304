"""The supplier registry's services: filing spellings, merging, splitting, identifiers and status.

Views, the API, the CLI, tests and later modules (escalation in contract monitoring) call these; every
change a person makes is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from fairprocure.entities.match import SAME, match_normalised
from fairprocure.entities.names import normalise_identifier, normalise_name
from fairprocure.web.audit.log import record
from fairprocure.web.register.models import Line
from fairprocure.web.suppliers import status as st
from fairprocure.web.suppliers.models import Identifier, StatusChange, Supplier, SupplierName


def _candidates(key: str) -> list[tuple[str, int]]:
    """Existing (key, supplier pk) pairs worth comparing with ``key``: those sharing its first word."""
    first = key.split()[0] if key else ""
    found = SupplierName.objects.filter(key__startswith=first).values_list("key", "supplier_id")
    return [(k, s) for k, s in found if k.split()[:1] == [first]]


def _index() -> dict[str, list[tuple[str, int]]]:
    """Every filed key by its first word (what :func:`resolve` compares a new spelling with)."""
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, supplier_pk in SupplierName.objects.values_list("key", "supplier_id"):
        if key:
            index[key.split()[0]].append((key, supplier_pk))
    return index


def resolve(
    name: str, country: str = "", how: str = "register", index: dict | None = None
) -> Supplier | None:
    """The supplier of spelling ``name``, filing it first: under the supplier whose spelling has the same
    key or matches it (``same``), else under a new supplier. None for an empty name.

    ``index`` (from :func:`_index`, kept up to date here) saves a query per name when filing many."""
    name = (name or "").strip()
    if not name:
        return None
    known = SupplierName.objects.filter(name=name).select_related("supplier").first()
    if known is not None:
        return known.supplier.current()
    key = normalise_name(name)
    supplier = None
    first = key.split()[0] if key else ""
    candidates = (index.get(first, []) if index is not None else _candidates(key)) if key else []
    for other_key, supplier_pk in candidates:
        if other_key == key or match_normalised(key, other_key).decision == SAME:
            candidate = Supplier.objects.get(pk=supplier_pk).current()
            if not (country and candidate.country and candidate.country != country):
                supplier = candidate
                break
    if supplier is None:
        supplier = Supplier.objects.create(name=name, key=key, country=country or "")
    SupplierName.objects.create(supplier=supplier, name=name, key=key, how=how)
    if index is not None and key:
        index[first].append((key, supplier.pk))
    return supplier


def file_office(office) -> int:
    """File every supplier spelling of the office's lines; returns how many spellings were new."""
    known = set(SupplierName.objects.values_list("name", flat=True))
    rows = (
        Line.objects.filter(office=office, current=True)
        .exclude(supplier_name="")
        .values("supplier_name", "supplier_country")
        .annotate(n=Count("id"))
        .order_by("supplier_name")
    )
    new = 0
    index = _index()
    with transaction.atomic():
        for row in rows:
            name = row["supplier_name"].strip()
            if name and name not in known:
                resolve(name, row["supplier_country"] or "", index=index)
                known.add(name)
                new += 1
    return new


def file_after_store(sender, office, **kwargs) -> None:
    """Receiver of ``register.store.lines_stored``: new spellings join the registry."""
    new = file_office(office)
    if new:
        record(
            "screening", "suppliers.filed", office=office, target=office.code, details={"new_spellings": new}
        )


def lines_of(supplier: Supplier, offices):
    """The supplier's current lines in ``offices`` (all its spellings, merged suppliers included)."""
    return Line.objects.filter(office__in=offices, current=True, supplier_name__in=supplier.spellings())


def spend_by_office(supplier: Supplier, offices) -> list[dict]:
    return list(
        lines_of(supplier, offices)
        .values("office__code")
        .annotate(lines=Count("id"), value_eur=Sum("value_eur"))
        .order_by("office__code")
    )


def possible_duplicates(supplier: Supplier, limit: int = 10) -> list[tuple[Supplier, str]]:
    """Other suppliers whose spellings match this one's (``same`` or ``possible``), for a person to merge."""
    from fairprocure.entities.match import POSSIBLE

    mine = set(supplier.names.values_list("key", flat=True)) or {supplier.key}
    firsts = {k.split()[0] for k in mine if k}
    out: dict[int, tuple[Supplier, str]] = {}
    others = SupplierName.objects.exclude(supplier=supplier).filter(supplier__merged_into__isnull=True)
    for first in firsts:
        for other in others.filter(key__startswith=first[:4]).select_related("supplier")[:500]:
            for key in mine:
                found = match_normalised(key, other.key)
                if found.decision in (SAME, POSSIBLE) and other.supplier_id not in out:
                    out[other.supplier_id] = (other.supplier, found.reason)
    return list(out.values())[:limit]


@transaction.atomic
def merge(target: Supplier, source: Supplier, user) -> Supplier:
    """File ``source``'s spellings, identifiers, accounts and records under ``target``."""
    from fairprocure.web.suppliers.models import SupplierAccount

    target, source = target.current(), source.current()
    if target.pk == source.pk:
        raise ValueError("a supplier cannot be merged with itself")
    spellings = source.spellings()
    SupplierName.objects.filter(supplier=source).update(supplier=target)
    Identifier.objects.filter(supplier=source).update(supplier=target)
    SupplierAccount.objects.filter(supplier=source).update(supplier=target)
    from fairprocure.web.questionnaires.models import Evidence, Invitation, Response

    for response in Response.objects.filter(supplier=source):
        twin = Response.objects.filter(
            supplier=target, version=response.version, variant=response.variant
        ).first()
        if twin is None:
            Response.objects.filter(pk=response.pk).update(supplier=target)
        else:  # both answered the same questionnaire: the target's answers stand, the other's stay on record
            Invitation.objects.filter(response=response).update(response=twin)
    for model in (Invitation, Evidence):
        model.objects.filter(supplier=source).update(supplier=target)
    if source.sanctioned and not target.sanctioned:  # the graver status holds
        target.status, target.status_reason = source.status, source.status_reason
        target.reform_required, target.review_date = source.reform_required, source.review_date
        target.save()
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    record(
        user,
        "supplier.merged",
        target=target.name,
        details={"into": target.pk, "merged": source.pk, "merged_name": source.name, "spellings": spellings},
    )
    return target


@transaction.atomic
def split(supplier: Supplier, spellings: list[str], user, name: str = "") -> Supplier:
    """Move ``spellings`` of ``supplier`` to a new supplier (named ``name`` or the first spelling)."""
    names = list(SupplierName.objects.filter(supplier=supplier, name__in=spellings))
    if not names:
        raise ValueError("choose the spellings that belong to another supplier")
    if len(names) == supplier.names.count():
        raise ValueError("leave at least one spelling with this supplier")
    new_name = (name or "").strip() or names[0].name
    new = Supplier.objects.create(name=new_name, key=normalise_name(new_name), country=supplier.country)
    SupplierName.objects.filter(pk__in=[n.pk for n in names]).update(supplier=new, how="person")
    if supplier.name in {n.name for n in names}:
        supplier.name = supplier.names.first().name
        supplier.key = normalise_name(supplier.name)
        supplier.save(update_fields=["name", "key"])
    record(
        user,
        "supplier.split",
        target=supplier.name,
        details={
            "from": supplier.pk,
            "new": new.pk,
            "new_name": new.name,
            "spellings": [n.name for n in names],
        },
    )
    return new


@transaction.atomic
def add_name(supplier: Supplier, name: str, user) -> SupplierName:
    name = (name or "").strip()
    if not name:
        raise ValueError("spelling: write the name as it appears in the data")
    if SupplierName.objects.filter(name=name).exists():
        raise ValueError(f"{name!r} is filed under a supplier already; merge the two suppliers instead")
    spelling = SupplierName.objects.create(
        supplier=supplier, name=name, key=normalise_name(name), how="person"
    )
    record(
        user,
        "supplier.spelling_added",
        target=supplier.name,
        details={"supplier": supplier.pk, "spelling": name},
    )
    return spelling


@transaction.atomic
def add_identifier(supplier: Supplier, scheme: str, value: str, user) -> Identifier:
    normalised = normalise_identifier(scheme, value)
    other = Identifier.objects.filter(normalised=normalised).select_related("supplier").first()
    if other is not None:
        raise ValueError(
            f"{value} is the identifier of {other.supplier.name} already; merge the two suppliers"
        )
    identifier = Identifier.objects.create(
        supplier=supplier, scheme=scheme, value=value.strip(), normalised=normalised
    )
    record(
        user,
        "supplier.identifier_added",
        target=supplier.name,
        details={"supplier": supplier.pk, "scheme": scheme, "identifier": value.strip()},
    )
    return identifier


def supplier_by_identifier(scheme: str, value: str) -> Supplier | None:
    found = Identifier.objects.filter(normalised=normalise_identifier(scheme, value)).select_related(
        "supplier"
    )
    first = found.first()
    return first.supplier.current() if first else None


@transaction.atomic
def _move(
    supplier: Supplier, move: str, reason: str, actor, reform: str = "", review: dt.date | None = None
) -> StatusChange:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.current().pk)
    old = supplier.status
    new = st.check_move(move, old, reason, reform, review)
    reason, reform = reason.strip(), (reform or "").strip()
    change = StatusChange.objects.create(
        supplier=supplier,
        old=old,
        new=new,
        reason=reason,
        reform_required=reform,
        review_date=review,
        changed_by=getattr(actor, "username", None) or str(actor),
    )
    supplier.status, supplier.status_reason = new, reason
    supplier.reform_required = reform if new == st.SUSPENDED else ""
    supplier.review_date = review if new == st.SUSPENDED else None
    supplier.status_changed = timezone.now()
    supplier.save()
    record(
        actor,
        f"supplier.{move}",
        target=supplier.name,
        details={
            "supplier": supplier.pk,
            "from": old,
            "to": new,
            "reason": reason,
            "reform_required": reform,
            "review_date": review.isoformat() if review else "",
        },
    )
    return change


def suspend(
    supplier: Supplier, reason: str, reform_required: str, review_date: dt.date, actor
) -> StatusChange:
    """Suspend purchases until the supplier shows the reform required; reviewed on ``review_date``."""
    return _move(supplier, "suspend", reason, actor, reform_required, review_date)


def exclude(supplier: Supplier, reason: str, actor) -> StatusChange:
    """Exclude the supplier from the organisation's purchases."""
    return _move(supplier, "exclude", reason, actor)


def reinstate(supplier: Supplier, reason: str, actor) -> StatusChange:
    """Reinstate a suspended or excluded supplier (the reform shown, or the exclusion ended)."""
    return _move(supplier, "reinstate", reason, actor)


def status_of_names(names) -> dict[str, Supplier]:
    """Sanctioned suppliers of the given spellings: spelling → supplier (only suspended or excluded)."""
    found = SupplierName.objects.filter(name__in=set(names)).select_related("supplier")
    out = {}
    for spelling in found:
        supplier = spelling.supplier.current()
        if supplier.sanctioned:
            out[spelling.name] = supplier
    return out
