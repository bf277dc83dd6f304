"""Small helpers for the due-diligence pages' plain HTML forms (no JavaScript needed)."""

from __future__ import annotations

import datetime as dt


def date_from(value: str | None, what: str, default: dt.date | None = None) -> dt.date:
    if not (value or "").strip():
        if default is not None:
            return default
        raise ValueError(f"{what}: give a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def optional_date(value: str | None, what: str) -> dt.date | None:
    return date_from(value, what) if (value or "").strip() else None


def checked(post, name: str) -> bool:
    return post.get(name) in ("on", "1", "yes", "true")
