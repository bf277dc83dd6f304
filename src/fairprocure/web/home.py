"""Where the workspace keeps its data: one directory, ``FAIRPROCURE_HOME``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def home() -> Path:
    """The data directory (database, uploads, secret key), created on first use."""
    path = Path(os.environ.get("FAIRPROCURE_HOME") or platformdirs.user_data_dir("fairprocure"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """``FAIRPROCURE_SECRET_KEY`` from the environment, else a key generated once and kept in home."""
    if key := os.environ.get("FAIRPROCURE_SECRET_KEY"):
        return key
    path = home() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
