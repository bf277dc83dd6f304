"""Rate limit of the public grievance pages without keeping anyone's IP address.

A per-process, in-memory sliding window: the client is known only by an HMAC of its address under a
random key made when the process starts (never written anywhere), so neither the database, the logs
nor a memory dump taken later in another process can link a case to an address; entries older than
the window are dropped, and everything is forgotten when the server restarts. A site-wide window
caps the total, so rotating addresses cannot flood the intake either. Why not the database: a table
of (keyed hash, time) rows would need a key kept somewhere and a purge job, and would outlive the
window; the workspace runs as one process (``fairprocure serve``: waitress threads), so one
process's memory sees every request. Behind several processes each limits on its own (the limit is
then per process: set ``intake_per_client`` accordingly).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

_KEY = secrets.token_bytes(32)


class Limiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    @staticmethod
    def client_key(address: str) -> str:
        return hmac.new(_KEY, (address or "").encode(), hashlib.sha256).hexdigest()[:32]

    def allow(self, address: str, *, per_client: int, per_site: int, window_seconds: float, now=None) -> bool:
        """Count a request; False when the client or the whole site is over its limit in the window."""
        now = time.monotonic() if now is None else now
        key = self.client_key(address)
        with self._lock:
            for k in (key, "*"):
                hits = self._hits[k]
                while hits and now - hits[0] >= window_seconds:
                    hits.popleft()
            for k in [k for k, v in self._hits.items() if not v]:
                del self._hits[k]
            if len(self._hits[key]) >= per_client or len(self._hits["*"]) >= per_site:
                return False
            self._hits[key].append(now)
            self._hits["*"].append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


INTAKE = Limiter()  # new cases
FOLLOW = Limiter()  # attempts to open a case with a code and secret
