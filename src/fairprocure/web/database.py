"""Database settings from ``FAIRPROCURE_DATABASE_URL``: SQLite in home by default, or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse


def database_settings(url: str | None, home: Path) -> dict:
    """Django ``DATABASES['default']`` for a ``postgresql://user:pass@host:port/name`` URL or SQLite."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": home / "workspace.sqlite3",
            # WAL lets the dashboard read while the screening job writes; one writer at a time.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(
            f"FAIRPROCURE_DATABASE_URL has scheme {parts.scheme!r}; "
            "use postgresql://user:password@host:port/name, or unset it for SQLite."
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
