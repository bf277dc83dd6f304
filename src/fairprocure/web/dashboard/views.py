"""The dashboard page: organisation-wide, or one office with ``?office=CODE``.

Its figures (key figures, KPIs, charts, heat map, top contracts, changes) are rendered once and kept in
the cache until anything they show may have changed: the cache key holds the newest audit event (every
decision, plan, activity, assessment, import ... is audited) and the newest office statistics row
(recomputed after every screening and decision), and an entry lives at most ``KEPT_SECONDS`` (5 minutes) besides.
At 1,000,000 lines the figures cost about 3 s of CPU to compute organisation-wide (mostly the KPI
table); a kept copy costs two indexed ``MAX`` queries and a file read. The cache is in files under the
data home (``settings.CACHES``), shared by the processes of ``serve --processes N``, and one thread of
one process computes a scope while the others wait for its result (a lock file, where ``fcntl`` exists).

So that readers do not pay for the computation: :func:`warm` computes every scope in every language
after a screening is brought into the register (``screenings/jobs.py``), and an entry read in the
second half of its life is served while a background thread of that process computes it again
(its figures are never older than ``KEPT_SECONDS``; a newer version is always computed first).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.models import Max
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from fairprocure.web.accounts.permissions import Action, office_in_scope, requires, visible_offices
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.dashboard.summary import build
from fairprocure.web.kpis.table import compute_table
from fairprocure.web.kpis.views import year_of
from fairprocure.web.screenings.views import active_screenings

log = logging.getLogger(__name__)
KEPT_SECONDS = 300  # a change that leaves no audit event and no new statistics shows within this time


def version() -> str:
    """Changes whenever an audited action happens or an office's statistics are recomputed."""
    audit = AuditEvent.objects.aggregate(n=Max("pk"))["n"]
    cells = CellStat.objects.aggregate(n=Max("pk"))["n"]
    return f"{audit}.{cells}"


def _key(year: int, office, offices) -> str:
    return f"dashboard-figures:{version()}:{get_language()}:{year}:{office.pk if office else ''}:" + ",".join(
        str(o.pk) for o in offices
    )


def _compute(key: str, office, offices, year: int, request=None) -> tuple[str, float]:
    """Render the figures (in the active language) and keep them with the time they were computed."""
    context = {"board": build(offices), "office": office, "table": compute_table(offices, year)}
    entry = (render_to_string("dashboard/_figures.html", context, request), time.time())
    cache.set(key, entry, KEPT_SECONDS)
    return entry


def figures(request, office, offices) -> str:
    """The dashboard's figures for ``offices``, in the reader's language, from the cache when current."""
    year = year_of(request)
    key = _key(year, office, offices)
    entry = cache.get(key)
    if entry is None:
        with _lock(key):  # one thread of one process computes, the others wait for its result
            entry = cache.get(key) or _compute(key, office, offices, year, request)
    elif _due(entry):
        _refresh_later(key, office, offices, year)
    return mark_safe(entry[0])  # rendered by our own template, escaped there


def _due(entry: tuple[str, float] | None) -> bool:
    """Whether a kept entry is missing or in the second half of its life (to be computed again)."""
    return entry is None or time.time() - entry[1] > KEPT_SECONDS / 2


_REFRESHING: set[str] = set()


def _refresh_later(key: str, office, offices, year: int) -> None:
    """Compute ``key`` again in a thread of this process (one at a time per key), in this language."""
    with _LOCKS_LOCK:
        if key in _REFRESHING:
            return
        _REFRESHING.add(key)
    language = get_language()

    def refresh() -> None:
        try:
            with translation.override(language), _lock(key):
                if _due(cache.get(key)):  # not done by another meanwhile
                    _compute(key, office, offices, year)
        except Exception:
            log.exception("dashboard figures not refreshed")
        finally:
            connection.close()
            with _LOCKS_LOCK:
                _REFRESHING.discard(key)

    threading.Thread(target=refresh, name="fairprocure-dashboard", daemon=True).start()


def warm() -> int:
    """Compute the figures of every scope the dashboard shows (the organisation, each office as its
    officers and as management see it) in every language, unless kept; returns how many were computed.

    Run after a screening is brought into the register, so that its first readers find them kept.
    """
    from fairprocure.web.offices.models import Office

    if not connection.in_atomic_block:  # inside a transaction (a test's) closing would end it
        close_old_connections()
    offices = list(Office.objects.all())  # as visible_offices() gives them to management
    scopes = [(None, offices)] + [(o, [o]) for o in offices] + [(None, [o]) for o in offices]
    year, computed = timezone.now().year, 0
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            for office, chosen in scopes:
                key = _key(year, office, chosen)
                with _lock(key):
                    if _due(cache.get(key)):
                        _compute(key, office, chosen, year)
                        computed += 1
    return computed


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


@contextlib.contextmanager
def _lock(key: str):
    scope = key.split(":", 2)[2]  # one lock per language, year and offices, whatever the version
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(scope, threading.Lock())
    with lock, _process_lock(scope):
        yield


@contextlib.contextmanager
def _process_lock(scope: str):
    """Across the server's processes: an exclusive lock on a file of the cache's folder."""
    try:
        import fcntl
    except ImportError:  # Windows: one process (waitress)
        yield
        return
    cache_settings = settings.CACHES["default"]
    if not cache_settings["BACKEND"].endswith("FileBasedCache"):  # one process's memory, say
        yield
        return
    folder = Path(cache_settings["LOCATION"])
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.blake2b(scope.encode(), digest_size=8).hexdigest()
    with (folder / f"dashboard-{name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@requires(Action.VIEW)
def dashboard(request):
    office = office_in_scope(request.user, request.GET.get("office"))
    offices = [office] if office else list(visible_offices(request.user))
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "figures": figures(request, office, offices),
            "office": office,
            "choices": visible_offices(request.user),
            "in_progress": active_screenings(request.user),
        },
    )
