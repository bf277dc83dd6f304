"""The dashboard page: organisation-wide, or one office with ``?office=CODE``.

Its figures (key figures, KPIs, charts, heat map, top contracts, changes) are rendered once and kept in
the cache until anything they show may have changed: the cache key holds the newest audit event (every
decision, plan, activity, assessment, import ... is audited) and the newest office statistics row
(recomputed after every screening and decision), and an entry lives at most ``KEPT_SECONDS`` (5 minutes) besides.
At 1,000,000 lines the figures cost about 3 s of CPU to compute organisation-wide (mostly the KPI
table); a kept copy costs two indexed ``MAX`` queries and a file read. The cache is in files under the
data home (``settings.CACHES``), shared by the processes of ``serve --processes N``, and one thread of
one process computes a scope while the others wait for its result (a lock file, where ``fcntl`` exists).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path

from django.core.cache import cache
from django.db.models import Max
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from fairprocure.web.accounts.permissions import Action, office_in_scope, requires, visible_offices
from fairprocure.web.audit.models import AuditEvent
from fairprocure.web.dashboard.models import CellStat
from fairprocure.web.dashboard.summary import build
from fairprocure.web.kpis.table import compute_table
from fairprocure.web.kpis.views import year_of
from fairprocure.web.screenings.views import active_screenings

KEPT_SECONDS = 300  # a change that leaves no audit event and no new statistics shows within this time


def version() -> str:
    """Changes whenever an audited action happens or an office's statistics are recomputed."""
    audit = AuditEvent.objects.aggregate(n=Max("pk"))["n"]
    cells = CellStat.objects.aggregate(n=Max("pk"))["n"]
    return f"{audit}.{cells}"


def figures(request, office, offices) -> str:
    """The dashboard's figures for ``offices``, in the reader's language, from the cache when current."""
    year = year_of(request)
    key = f"dashboard:{version()}:{get_language()}:{year}:{office.pk if office else ''}:" + ",".join(
        str(o.pk) for o in offices
    )
    html = cache.get(key)
    if html is None:
        with _lock(key):  # one thread of one process computes, the others wait for its result
            html = cache.get(key)
            if html is None:
                context = {"board": build(offices), "office": office, "table": compute_table(offices, year)}
                html = render_to_string("dashboard/_figures.html", context, request)
                cache.set(key, html, KEPT_SECONDS)
    return mark_safe(html)  # rendered by our own template, escaped there


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
    from django.conf import settings

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
