"""One screening in its own process: :func:`run_job`, or ``python -m fairprocure.web.screenings.runner FILE
WORKDIR STREAM_ABOVE``.

The workspace's job runner starts one per job (forked from a warm fork server, :mod:`.warm`), so a
large file's memory goes back to the system when it ends, a cancel is a kill, and a crash takes
nothing else down. No Django here: the library only. It writes into WORKDIR:

- ``progress.json`` ``{"share": 0.42, "message": "scoring"}``, replaced as the screening goes;
- ``register.parquet`` (every line, in priority order) and ``result.json`` (problems, data quality);
- or ``error.json`` ``{"message": ...}`` and exit status 2 when the file cannot be screened.

The process dies with its parent (Linux ``PR_SET_PDEATHSIG``): a killed server leaves no screening
running on its own.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

import orjson


def die_with_parent(parent: int) -> None:
    """Linux: this process is killed when its parent dies (and exits now if it has already)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the job runner kills us when it can
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _write(path: Path, value) -> None:
    temp = path.with_suffix(".tmp")
    temp.write_bytes(orjson.dumps(value, default=str))
    temp.replace(path)


def main(argv: list[str]) -> int:
    die_with_parent(int(argv[3]) if len(argv) > 3 else os.getppid())
    return run_job(argv[0], argv[1], int(argv[2]))


def run_job(source_name: str, work_name: str, stream_above: int) -> int:
    """Screen one file into ``work_name``; the process's exit status is the return value."""
    die_with_parent(os.getppid())
    source, work = Path(source_name), Path(work_name)
    work.mkdir(parents=True, exist_ok=True)
    last = [0.0]

    def progress(share: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= 0.3 or share >= 1:
            last[0] = now
            _write(work / "progress.json", {"share": share, "message": message})

    try:
        from fairprocure.web.screenings.engine import screen_to_parquet

        problems, quality = screen_to_parquet(source, work, progress, stream_above)
    except Exception as exc:  # the reason goes to the job; the job says it in words
        _write(work / "error.json", {"message": f"{exc}", "kind": type(exc).__name__})
        return 2
    _write(work / "result.json", {"problems": problems, "quality": quality})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
