"""Real samples bundled for ``fairprocure demo`` (see SOURCES.md beside this file)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_FILES = (
    "uk_contracts_finder_releases.jsonl",
    "paraguay_dncp_releases.jsonl",
    "hmt_spend_over_25k_2025Q1.csv",
)


def demo_paths() -> list[Path]:
    return [Path(str(files("fairprocure.demo").joinpath(name))) for name in DEMO_FILES]
