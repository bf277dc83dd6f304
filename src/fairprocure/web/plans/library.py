"""The action library: the shipped file (``library.toml``) and its copy the organisation edits."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

LIBRARY_FILE = Path(__file__).with_name("library.toml")
THEMES = {
    "clauses": _("Contract clauses and conditions"),
    "monitoring": _("Monitoring and verification"),
    "transparency": _("Supply-chain transparency"),
    "engagement": _("Supplier engagement"),
    "training": _("Training and awareness"),
    "remedy": _("Worker voice and remedy"),
}
FIELDS = ("key", "categories", "theme", "title_en", "title_ru", "text_en", "text_ru", "sources")


@cache
def shipped() -> tuple[dict, ...]:
    """The entries of the shipped file, checked: every field present, a known theme, sources given."""
    entries = tomllib.loads(LIBRARY_FILE.read_text(encoding="utf-8"))["action"]
    for i, entry in enumerate(entries, 1):
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            raise ValueError(
                f"{LIBRARY_FILE.name}: action {i} ({entry.get('key')}) lacks {', '.join(missing)}"
            )
        if entry["theme"] not in THEMES:
            raise ValueError(f"{LIBRARY_FILE.name}: action {entry['key']}: unknown theme {entry['theme']!r}")
    return tuple(entries)


def sync_library(**kwargs) -> int:
    """Add shipped entries the database lacks (never overwriting the organisation's); returns how many."""
    from fairprocure.web.plans.models import LibraryAction

    known = set(LibraryAction.objects.values_list("key", flat=True))
    new = [LibraryAction(**{f: e[f] for f in FIELDS}) for e in shipped() if e["key"] not in known]
    LibraryAction.objects.bulk_create(new)
    return len(new)
