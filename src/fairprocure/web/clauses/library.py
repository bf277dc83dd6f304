"""The shipped clause library (``clauses.toml``), the source key (``sources.toml``) and the copy in the database."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
SHIPPED_LICENCE = "Apache-2.0 (fairprocure's own wording, paraphrasing the sources cited)"
SHIPPED_APPROVER = "fairprocure"
FIELDS = ("key", "type", "tier", "categories", "sources", "title_en", "title_ru", "text_en", "text_ru")


@cache
def sources() -> dict[str, dict]:
    """Source key → {"title", "url"} (shared by the clause library and the tender guidance)."""
    found = tomllib.loads((HERE / "sources.toml").read_text(encoding="utf-8"))
    for key, entry in found.items():
        if not entry.get("title") or not entry.get("url"):
            raise ValueError(f"sources.toml: source {key} needs a title and a url")
    return found


def cite(keys) -> list[dict]:
    """The sources named by ``keys`` as {"key", "title", "url"}; an unknown key is an error."""
    known = sources()
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise KeyError(f"unknown source keys {unknown}; add them to clauses/sources.toml")
    return [{"key": k, **known[k]} for k in keys]


@cache
def shipped() -> tuple[dict, ...]:
    """The shipped clauses, checked: every field, a known type and tier, sources that resolve."""
    from fairprocure.web.clauses.models import Clause

    entries = tomllib.loads((HERE / "clauses.toml").read_text(encoding="utf-8"))["clause"]
    keys = set()
    for n, entry in enumerate(entries, 1):
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            raise ValueError(f"clauses.toml: clause {n} ({entry.get('key')}) lacks {', '.join(missing)}")
        if entry["type"] not in Clause.Type.values or entry["tier"] not in Clause.Tier.values:
            raise ValueError(f"clauses.toml: clause {entry['key']}: unknown type or tier")
        if entry["key"] in keys:
            raise ValueError(f"clauses.toml: clause key {entry['key']} appears twice")
        keys.add(entry["key"])
        cite(entry["sources"])
    return tuple(entries)


def texts_of(entry: dict) -> dict:
    return {lang: {"title": entry[f"title_{lang}"], "text": entry[f"text_{lang}"]} for lang in ("en", "ru")}


def sync_library() -> int:
    """Add shipped clauses the database lacks, as approved version 1; never touches existing ones."""
    from django.db import transaction
    from django.utils import timezone

    from fairprocure.web.clauses.models import Clause, ClauseVersion

    known = set(Clause.objects.values_list("key", flat=True))
    added = 0
    with transaction.atomic():
        for entry in shipped():
            if entry["key"] in known:
                continue
            clause = Clause.objects.create(
                key=entry["key"],
                type=entry["type"],
                tier=entry["tier"],
                categories=entry["categories"],
                sources=entry["sources"],
                licence=SHIPPED_LICENCE,
                shipped=True,
            )
            ClauseVersion.objects.create(
                clause=clause,
                number=1,
                texts=texts_of(entry),
                note="as shipped with fairprocure",
                approver_name=SHIPPED_APPROVER,
                approved_at=timezone.now(),
            )
            added += 1
    return added


def sync_after_migrate(**kwargs) -> None:
    sync_library()
