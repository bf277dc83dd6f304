"""Which version of each line is in the register, and replacing a screening by a corrected file.

Every screening stores its own version of every line it reads (``Line`` rows, never overwritten). For
each line identity (office, ``line_id``) one version is *current*: the one from the office's screening
that stands highest — the later period, then the later upload (:func:`periods.ranks`) — among the
screenings in the register (stored, not superseded). So:

- February's ``export.csv`` after January's adds February's lines; January's stay (other identities).
- A screening that brings a line again (a year-to-date export, a re-export) makes its version current
  and the older one is kept, not current; a re-upload of an *older* period changes nothing in force.
- Superseding a screening (same office, a corrected file) takes all its lines out of the register,
  whatever the new file brings: an explicit act, recorded in the audit log with both files and periods.

A decision follows the line's identity: the current version takes the latest decision about it, in
force when the content is the same, shown as stale when it changed (:func:`apply_decisions`).

Only the identities a change touches are recomputed, in a few set-based statements.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from fairprocure.web.audit.log import record
from fairprocure.web.register.models import Decision, Line
from fairprocure.web.register.ranking import rank_all, refresh_effective
from fairprocure.web.screenings import periods
from fairprocure.web.screenings.models import Screening


def set_ranks(office) -> None:
    """Number the office's screenings in the order their versions of a line stand (1 = earliest)."""
    found = list(Screening.objects.filter(office=office).only("pk", "period_end", "created", "rank"))
    ranks = periods.ranks(found)
    changed = [s for s in found if s.rank != ranks[s.pk]]
    for s in changed:
        s.rank = ranks[s.pk]
    Screening.objects.bulk_update(changed, ["rank"], batch_size=500)


def recompute(office, touched) -> None:
    """Make the right version current for every identity in ``touched`` (a queryset of ``line_id``).

    The winner of an identity is its line from the in-register screening of highest rank; the other
    versions point to it (``superseded_by``). An identity no screening in the register brings any more
    has no current line.
    """
    versions = Line.objects.filter(office=office, line_id__in=touched)
    winner = (
        Line.objects.filter(
            office=office,
            line_id=OuterRef("line_id"),
            screening__stored=True,
            screening__superseded_by__isnull=True,
        )
        .order_by("-screening__rank", "-pk")
        .values("pk")[:1]
    )
    versions.filter(current=True).update(current=False)  # first: one current version per identity, always
    winners = Line.objects.filter(pk__in=versions.annotate(best=Subquery(winner)).values("best"))
    winners.update(current=True, superseded_by=None)
    versions.filter(current=False).update(superseded_by=Subquery(winner))
    now_current = Line.objects.filter(office=office, current=True, line_id__in=touched)
    apply_decisions(now_current)
    refresh_effective(now_current)


def apply_decisions(lines) -> None:
    """Each current line takes the latest decision about its identity: in force when it was made on the
    same content (same fingerprint), else stale (shown, not applied: the line needs a new look)."""
    latest = Decision.objects.filter(office=OuterRef("office"), line_key=OuterRef("line_id")).order_by(
        "-at", "-pk"
    )
    lines.update(decision=Subquery(latest.values("pk")[:1]))
    lines.filter(decision__isnull=True).update(decided_level="", decision_stale=False)
    decided = lines.filter(decision__isnull=False)
    same = decided.filter(fingerprint=F("decision__fingerprint"))
    same.update(
        decided_level=Subquery(Decision.objects.filter(pk=OuterRef("decision")).values("level")[:1]),
        decision_stale=False,
    )
    decided.exclude(fingerprint=F("decision__fingerprint")).update(decided_level="", decision_stale=True)


@transaction.atomic
def bring_in(screening: Screening) -> dict:
    """All of a screening's lines are stored (:func:`~fairprocure.web.register.store.store_register`): read
    its period from their dates unless the uploader set it, rank it among the office's screenings, switch
    its versions into the register, rank the organisation's lines and tell the contracts.

    Call it once per screening, after its last batch, in the same transaction as the store when there is
    one. Decisions made on earlier versions of its lines are carried over or shown as stale; when there
    are any, the counts go to the audit log. Idempotent. Returns the counts.
    """
    from fairprocure.web.register.store import lines_stored

    _set_period(screening)
    Screening.objects.filter(pk=screening.pk).update(stored=True)
    screening.stored = True
    set_ranks(screening.office)
    recompute(screening.office, Line.objects.filter(screening=screening).values("line_id"))
    rank_all()
    decided = Line.objects.filter(screening=screening, current=True, decision__isnull=False).exclude(
        decision__line__screening=screening
    )
    counts = {
        "decisions_carried_over": decided.filter(decision_stale=False).count(),
        "decisions_stale": decided.filter(decision_stale=True).count(),
    }
    if any(counts.values()):
        record(
            "screening",
            "risk.carried_over",
            office=screening.office,
            target=f"{screening.file_name} ({screening.period_code or 'period unknown'})",
            details={"screening": screening.pk, **counts},
        )
    lines_stored.send(sender=Line, office=screening.office, screening=screening)
    return counts


def _set_period(screening: Screening) -> None:
    """The period the file covers, from its lines' dates, unless the uploader set it."""
    if screening.period_set_by:
        return
    dates = Line.objects.filter(screening=screening, date__isnull=False).values_list("date", flat=True)
    start, end = periods.period_from_dates(list(dates.iterator(chunk_size=20_000))) or (None, None)
    Screening.objects.filter(pk=screening.pk).update(period_start=start, period_end=end)
    screening.period_start, screening.period_end = start, end


def replaceable(screening: Screening):
    """Screenings ``screening`` may supersede: same office, in the register, overlapping period first."""
    others = Screening.objects.filter(
        office=screening.office, stored=True, superseded_by__isnull=True
    ).exclude(pk=screening.pk)
    mine = (screening.period_start, screening.period_end)
    return sorted(
        others,
        key=lambda s: (not periods.overlaps(mine, (s.period_start, s.period_end)), -s.rank),
    )


class SupersedeError(ValueError):
    """The replacement is not allowed; the message says why."""


@transaction.atomic
def supersede(new: Screening, old: Screening, actor) -> dict:
    """Take ``old``'s lines out of the register in favour of ``new`` (a corrected file); audited.

    Returns the counts recorded: lines of ``old`` brought again by ``new``, lines no longer in the
    register, and decisions left on those.
    """
    old = Screening.objects.select_for_update().get(pk=old.pk)
    if new.office_id != old.office_id:
        raise SupersedeError("a screening can only replace one of the same office")
    if new.pk == old.pk:
        raise SupersedeError("a screening cannot replace itself")
    if not new.in_register:
        raise SupersedeError(f"{new.file_name} is not in the register (not finished, or itself replaced)")
    if old.superseded_by_id is not None:
        raise SupersedeError(f"{old.file_name} was already replaced")
    if not old.stored:
        raise SupersedeError(f"{old.file_name} has no lines in the register yet")
    mine = Line.objects.filter(screening=new).values("line_id")
    before = Line.objects.filter(screening=old, current=True)
    counts = {
        "lines_before": before.count(),
        "brought_again": before.filter(line_id__in=mine).count(),
    }
    now = timezone.now()
    Screening.objects.filter(pk=old.pk).update(superseded_by=new, superseded_at=now)
    old.superseded_by, old.superseded_at = new, now
    touched = Line.objects.filter(Q(screening=old) | Q(screening=new)).values("line_id")
    recompute(new.office, touched)
    rank_all()
    gone = Line.objects.filter(screening=old, current=False, superseded_by__isnull=True)
    counts["left_the_register"] = gone.count()
    counts["decisions_on_lines_gone"] = gone.exclude(decided_level="").count()
    record(
        actor,
        "screening.superseded",
        office=new.office,
        target=f"{old.file_name} ({old.period_code or 'period unknown'}) → "
        f"{new.file_name} ({new.period_code or 'period unknown'})",
        details={
            "replaced": old.pk,
            "replaced_file": old.file_name,
            "replaced_period": old.period_code,
            "by": new.pk,
            "by_file": new.file_name,
            "by_period": new.period_code,
            **counts,
        },
    )
    return counts
