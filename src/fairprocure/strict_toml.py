"""Strict TOML settings files: sections that fill dataclasses, unknown sections and keys refused.

The screening policy (:mod:`fairprocure.score.policy`) and the due-diligence policy
(:mod:`fairprocure.duediligence.policy`) are both read this way: a file names only what it changes, each
section's missing keys keep their default, and every mistake is an error naming the file, section and key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any


def read_toml(path: Path, error: type[Exception], what: str) -> dict[str, Any]:
    """The TOML file at ``path``; a missing or malformed file raises ``error`` naming it."""
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: {what} file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


def unknown_keys(values: dict[str, Any], known: list[str], where: str, error: type[Exception]) -> None:
    """Raise ``error`` when ``values`` has keys outside ``known``."""
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise error(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(known)}")


def merged_sections(
    base: Any,
    data: dict[str, Any],
    source: str,
    error: type[Exception],
    section: Callable[[type, dict[str, Any], str], Any],
) -> dict[str, Any]:
    """``data``'s sections over ``base``'s (a dataclass of dataclasses), as changes for ``dataclasses.replace``.

    ``section(cls, values, where)`` checks and builds one section from its defaults merged with the file's
    values; the changes also carry ``source``.
    """
    sections = [f.name for f in fields(base) if f.name != "source"]
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise error(f"{source}: unknown section(s) [{'], ['.join(unknown)}]; allowed: {', '.join(sections)}")
    changes: dict[str, Any] = {"source": source}
    for name, values in data.items():
        if not isinstance(values, dict):
            raise error(f"{source}: [{name}] must be a table of keys")
        current = getattr(base, name)
        merged = {f.name: getattr(current, f.name) for f in fields(current)} | values
        changes[name] = section(type(current), merged, f"{source} [{name}]")
    return changes
