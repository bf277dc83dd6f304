"""Shared fixtures: where the real shared data lives, and a fast stand-in text classifier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "src" / "fairprocure" / "demo"  # real samples shipped with the package (see its SOURCES.md)


def pytest_collection_modifyitems(config, items):
    """The tests that start `fairprocure serve` first: they are the longest, so under pytest-xdist
    (scripts/test.sh hands out whole files in this order) they start early and run beside the rest
    instead of one of them running on alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("live_server") is None)


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
