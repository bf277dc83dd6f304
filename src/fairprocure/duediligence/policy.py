"""The due-diligence policy: monitoring frequency, corrective-action deadlines, grievance timers.

Loaded strictly from ``policy.toml`` beside this module, or from the organisation's own file
(``FAIRPROCURE_DUE_DILIGENCE_POLICY``, else ``FAIRPROCURE_HOME/due-diligence.toml`` when present):
a missing key keeps its default; an unknown key or a value that is not a whole number of days is an
error naming the file, section and key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from fairprocure.strict_toml import merged_sections, read_toml, unknown_keys

RISK_LEVELS = ("low", "medium", "high", "critical")
SEVERITIES = ("critical", "major", "minor")


class DueDiligencePolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Monitoring:
    critical_days: int = 30
    high_days: int = 90
    medium_days: int = 180
    low_days: int = 0
    due_soon_days: int = 14

    def frequency(self, level: str) -> int:
        """Days between checks at risk ``level`` (0: no routine monitoring)."""
        if level not in RISK_LEVELS:
            raise ValueError(f"risk level {level!r} is not one of {', '.join(RISK_LEVELS)}")
        return getattr(self, f"{level}_days")


@dataclass(frozen=True)
class CorrectiveAction:
    critical_days: int = 7
    major_days: int = 30
    minor_days: int = 90

    def days(self, severity: str) -> int:
        if severity not in SEVERITIES:
            raise ValueError(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        return getattr(self, f"{severity}_days")


@dataclass(frozen=True)
class Grievance:
    acknowledge_days: int = 7
    resolve_days: int = 90
    intake_per_client: int = 5
    intake_per_site: int = 200
    intake_window_minutes: int = 60


@dataclass(frozen=True)
class DueDiligencePolicy:
    monitoring: Monitoring = Monitoring()
    corrective_action: CorrectiveAction = CorrectiveAction()
    grievance: Grievance = Grievance()
    source: str = "default"


# Values that must be above zero (a zero deadline or window makes no sense); others may be 0.
_POSITIVE = {"corrective_action", "grievance"}


def _section(cls: type, values: dict[str, Any], where: str) -> Any:
    unknown_keys(values, sorted(f.name for f in fields(cls)), where, DueDiligencePolicyError)
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise DueDiligencePolicyError(f"{where}.{key}: {value!r} is not a whole number")
        if value < 0:
            raise DueDiligencePolicyError(f"{where}.{key}: {value} cannot be negative")
    return cls(**values)


def parse_policy(data: dict[str, Any], source: str) -> DueDiligencePolicy:
    base = DueDiligencePolicy()
    changes = merged_sections(base, data, source, DueDiligencePolicyError, _section)
    for name in (name for name in data if name in _POSITIVE):
        zero = [f.name for f in fields(changes[name]) if getattr(changes[name], f.name) == 0]
        if zero:
            raise DueDiligencePolicyError(f"{source} [{name}]: {', '.join(zero)} must be above zero")
    return replace(base, **changes)


def load_policy(path: str | Path | None = None) -> DueDiligencePolicy:
    """The policy in ``path``; without one, the organisation's file if there is one, else the default."""
    if path is None:
        path = _organisation_file()
    if path is None:
        text = files("fairprocure.duediligence").joinpath("policy.toml").read_text("utf-8")
        return parse_policy(tomllib.loads(text), "default due-diligence policy")
    data = read_toml(Path(path), DueDiligencePolicyError, "due-diligence policy")
    return parse_policy(data, str(path))


def _organisation_file() -> Path | None:
    if named := os.environ.get("FAIRPROCURE_DUE_DILIGENCE_POLICY"):
        return Path(named)
    if home := os.environ.get("FAIRPROCURE_HOME"):
        candidate = Path(home) / "due-diligence.toml"
        if candidate.exists():
            return candidate
    return None
