"""Encryption at rest for what workers say and who they are (interview answers, grievances, contacts).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with keys kept **outside the database**:
``FAIRPROCURE_CONFIDENTIAL_KEYS`` (comma-separated Fernet keys, the first one encrypts), else the file
``FAIRPROCURE_HOME/confidential.key`` (one key a line, the first encrypts), generated on first use with
permissions 0600. The database holds only ciphertext; a copy of the database without the key file
reads nothing. Rotation: put a new key on the first line, keep the old ones below, run
``fairprocure confidential rotate`` (re-encrypts every field with the new key), then drop the old lines.
Back the key file up apart from the database: without it the sealed fields cannot be read again.

Secrets people hold (a grievance case's follow-up secret) are never stored: only their digest.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from fairprocure.web.home import home

ENV = "FAIRPROCURE_CONFIDENTIAL_KEYS"
KEY_FILE = "confidential.key"
_lock = threading.Lock()
_cached: tuple[tuple[str, ...], MultiFernet] | None = None


class SealError(RuntimeError):
    """A sealed value that the keys in use cannot open (wrong or missing key file)."""


def key_file() -> Path:
    return home() / KEY_FILE


def _keys() -> tuple[str, ...]:
    if named := os.environ.get(ENV):
        return tuple(k.strip() for k in named.split(",") if k.strip())
    path = key_file()
    with _lock:
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(Fernet.generate_key().decode() + "\n")
    return tuple(line.strip() for line in path.read_text().splitlines() if line.strip())


def _fernet() -> MultiFernet:
    global _cached
    keys = _keys()
    if not keys:
        raise SealError(f"no confidential key in {ENV} or {key_file()}")
    if _cached is None or _cached[0] != keys:
        _cached = (keys, MultiFernet([Fernet(k) for k in keys]))
    return _cached[1]


def seal(text: str) -> str:
    """``text`` encrypted with the current key (empty text stays empty: nothing to hide)."""
    if not text:
        return ""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    """The clear text of a sealed value; only focal-point views and the reporter's own page call it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SealError("this value was sealed with a key that is not in use; restore the key file") from None


def reseal(token: str) -> str:
    """The same clear text sealed with the current (first) key, for key rotation."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii") if token else ""


def new_secret() -> str:
    """A secret for a person to keep (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (a 128-bit random secret needs no slow hash)."""
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def same_secret(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


# Every sealed field: (app label, model, [fields]).
SEALED_FIELDS = (
    ("monitoring", "Interview", ("answers_sealed", "notes_sealed")),
    ("grievances", "Case", ("workplace_sealed", "account_sealed", "contact_sealed", "triage_note_sealed")),
    ("grievances", "Message", ("body_sealed",)),
)


def rotate_all() -> int:
    """Re-seal every sealed field with the current (first) key, in one transaction; returns the count."""
    from django.apps import apps
    from django.db import transaction

    changed = 0
    with transaction.atomic():
        for app_label, model_name, names in SEALED_FIELDS:
            model = apps.get_model(app_label, model_name)
            for row in model.objects.select_for_update().only("pk", *names):
                for name in names:
                    setattr(row, name, reseal(getattr(row, name)))
                row.save(update_fields=list(names))
                changed += 1
    return changed
