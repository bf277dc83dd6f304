"""CLI commands for screening: screen, classify, demo, data."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the screening commands to the main group."""
