"""Worker processes for the work that is Python per distinct value: the text model on a ledger's distinct
descriptions, OCDS JSON Lines buckets.

>>> fork_map(len, [["a", "b"], ["c"]], workers=1)
[2, 1]
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable[[Any], Any] | None = None  # the function the forked workers call (inherited, never pickled)


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def may_have_children() -> bool:
    """False in a daemonic process (the web workspace's screening jobs), which may not start processes."""
    import multiprocessing

    return not multiprocessing.current_process().daemon


def can_fork() -> bool:
    """Whether :func:`fork_map` runs in worker processes here: Linux (fork), not in a daemonic process."""
    return sys.platform == "linux" and may_have_children()


def _call(chunk: Any) -> Any:
    assert _TASK is not None
    return _TASK(chunk)


def fork_map(fn: Callable[[T], R], chunks: Sequence[T], workers: int | None = None) -> list[R]:
    """``[fn(c) for c in chunks]``, computed in ``workers`` forked processes (default: one per CPU).

    The workers are forked from this process, so ``fn`` and what it holds (a loaded model, reference
    data) are inherited as they are, not pickled; only the chunks and the results cross between processes.
    Runs here, one chunk after another, with one worker or one chunk, or where :func:`can_fork` is false.
    """
    workers = min(workers or default_workers(), len(chunks))
    return list(fork_imap(fn, chunks, workers)) if workers > 1 else [fn(c) for c in chunks]


def fork_imap(
    fn: Callable[[T], R], items: Iterable[T], workers: int | None = None, ahead: int | None = None
) -> Iterator[R]:
    """``fn(item)`` for each item, in order, as :func:`fork_map` computes them, with at most ``ahead`` items
    (default: two per worker) taken from ``items`` before their results are yielded: a stream of large
    items (a ledger's blocks) is read in bounded memory. The workers are forked at the first item."""
    global _TASK
    workers = workers or default_workers()
    if workers <= 1 or not can_fork() or _TASK is not None:  # _TASK set: already inside a fork_imap
        yield from map(fn, items)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    ahead = ahead or 2 * workers
    _TASK = fn
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: deque[Future] = deque()
            for item in items:
                pending.append(pool.submit(_call, item))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _TASK = None
