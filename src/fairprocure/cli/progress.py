"""The progress bar of ``fairprocure screen``: rows read, rows per second, phase and time left (rich)."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from fairprocure.progress import Step


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ScreeningBar:
    """Context manager; ``update(fraction, message)`` is the library's progress callback.

    Rows per second are those of reading while it goes on, then of the whole run so far. The time left
    is the elapsed time scaled by the share still to do (the library's fractions are weighted by how long
    each phase usually takes), so it is an estimate, shown once a little of the work is done.
    """

    def __init__(self, label: str, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[status]}"),
            console=console or Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task(label, total=1.0, status="starting")
        self.started = time.monotonic()
        self.reading_started: float | None = None
        self.reading_rate = ""

    def __enter__(self) -> ScreeningBar:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def update(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        phase = message.phase if isinstance(message, Step) else str(message)
        parts = [phase]
        rows = message.rows if isinstance(message, Step) else None
        if rows is not None:
            parts.append(f"{rows:,} rows")
            if phase == "reading":
                self.reading_started = self.reading_started or now
                if rows:
                    read_for = max(now - self.reading_started, 1e-6)
                    self.reading_rate = f"read at {rows / read_for:,.0f} rows/s"
                    parts.append(f"{rows / read_for:,.0f} rows/s")
            elif self.reading_rate:
                parts.append(self.reading_rate)
        if 0.02 <= fraction < 1:
            parts.append(f"about {_duration(elapsed * (1 - fraction) / fraction)} left")
        self.progress.update(self.task, completed=min(max(fraction, 0.0), 1.0), status=" · ".join(parts))
