"""Shared fixtures: where the real shared data lives, and a fast stand-in text classifier."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "src" / "fairprocure" / "demo"  # real samples shipped with the package (see its SOURCES.md)


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (scripts/test.sh, ``--dist worksteal``), give each worker a share of the tests
    that start `fairprocure serve`, at the head of the block of tests it is handed first.

    Those tests are the longest and mostly wait on their servers and browsers. In collection order
    they sit together, so one worker ran them one after another while the others ran out of work;
    stealing takes tests from the end of a worker's queue, so it could not help. A file's tests stay
    together (its live server is started once); files are dealt to the emptiest block first.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 0)
    if workers < 2:
        return
    files: dict[str, list[pytest.Item]] = {}
    rest = []
    for item in items:
        if item.get_closest_marker("live_server"):
            files.setdefault(item.nodeid.split("::")[0], []).append(item)
        else:
            rest.append(item)
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for tests in sorted(files.values(), key=len, reverse=True):
        min(heads, key=len).extend(tests)
    ordered, left = [], len(items)
    for k, head in enumerate(heads):  # pytest-xdist's worksteal hands worker k the next len // (workers - k)
        size = left // (workers - k)
        take = max(size - len(head), 0)
        ordered += head + rest[:take]
        rest = rest[take:]
        left -= len(head) + take
    items[:] = ordered + rest


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"needs the shared data beside the checkout ({SHARED_DATA}); the package's own fixtures cover the rest"
        )
    return SHARED_DATA


@dataclass
class Guess:
    cpv: str | None
    category: str
    confidence: float
    evidence: str


def keyword_stub(texts):
    """A deterministic stand-in for the text model, for tests about scoring rather than classification."""
    out = []
    for text in texts:
        t = (text or "").lower()
        if "clean" in t:
            out.append(Guess("90919200", "cleaning", 0.9, "stub: 'clean'"))
        elif "coffee" in t:
            out.append(Guess("15861000", "coffee", 0.3, "stub: 'coffee', low confidence"))
        else:
            out.append(Guess(None, "unclassified", 0.0, "stub: no match"))
    return out


@pytest.fixture
def stub_classifier():
    return keyword_stub
