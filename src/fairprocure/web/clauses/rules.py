"""Rules of the clause library, plain functions tested without a server."""

from __future__ import annotations

import re

from fairprocure.web.clauses.models import LANGUAGES

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
MIN_TEXT = 20


def check_texts(texts: dict) -> dict:
    """``texts`` cleaned: a title and a text of some substance in every required language."""
    cleaned = {}
    for lang, entry in texts.items():
        title = " ".join((entry.get("title") or "").split())
        text = (entry.get("text") or "").strip()
        if title or text:
            cleaned[lang] = {"title": title, "text": text}
    for lang in LANGUAGES:
        entry = cleaned.get(lang)
        if not entry or not entry["title"]:
            raise ValueError(f"title ({lang}): every clause needs a title in each of {', '.join(LANGUAGES)}")
        if len(entry["text"]) < MIN_TEXT:
            raise ValueError(f"text ({lang}): write the clause in full (at least {MIN_TEXT} characters)")
    return cleaned


def check_key(key: str) -> str:
    key = (key or "").strip().lower()
    if not KEY.match(key):
        raise ValueError("key: 3 to 80 lower-case letters, digits and dashes, e.g. 'cleaning-payroll-access'")
    return key


def check_categories(categories, known: set[str]) -> list[str]:
    categories = [c.strip() for c in categories if c and c.strip()]
    if not categories:
        raise ValueError("categories: choose the purchases the clause is for, or '*' for any purchase")
    unknown = [c for c in categories if c != "*" and c not in known]
    if unknown:
        raise ValueError(f"categories: {unknown} are not categories of the taxonomy")
    return ["*"] if "*" in categories else categories


def may_approve(version) -> None:
    """A version can be approved once, and only if no later version is approved already."""
    if version.approved:
        raise ValueError(f"version {version.number} is approved already")
    later = version.clause.versions.filter(number__gt=version.number, approved_at__isnull=False)
    if later.exists():
        raise ValueError(f"version {version.number} is older than an approved version; draft a new one")
