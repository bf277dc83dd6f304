"""Progress of a long screening, as the library reports it to whoever shows it.

The contract stays the one every caller already uses: ``progress(fraction, message)``, with
``fraction`` in 0..1 of the whole run and ``message`` a string a person can read (the web job page
stores and shows it). The message is a :class:`Step`: a ``str`` that also carries what a progress bar
needs: the phase, the rows read so far, and how far the current phase is (when it can be known). A
callback that only wants text ignores the rest; the CLI's bar (``fairprocure screen``) reads it to
show rows, rows per second and the time left.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]


class Step(str):
    """A progress message: its text is ``"phase: N rows"`` (or the phase alone); see the module docstring.

    ``rows``: lines or records read so far (while reading) or being worked on (after);
    ``part``: how far the phase is, 0..1, or None when the engine cannot tell (one long query).
    """

    phase: str
    rows: int | None
    part: float | None

    def __new__(cls, phase: str, rows: int | None = None, part: float | None = None) -> Step:
        text = phase if rows is None else f"{phase}: {rows:,} rows"
        self = super().__new__(cls, text)
        self.phase = phase
        self.rows = rows
        self.part = part
        return self


def noop(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""
