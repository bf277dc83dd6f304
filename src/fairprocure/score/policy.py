"""The scoring policy: weights and thresholds, read from TOML, with unknown keys rejected.

``load_policy(None)`` gives the default (``policy.toml`` beside this module); ``load_policy(path)``
reads a user's copy, where every section and key is optional but no unknown key is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from fairprocure.strict_toml import merged_sections, read_toml, unknown_keys


@dataclass(frozen=True)
class Levels:
    medium: float = 25
    high: float = 45
    critical: float = 65


@dataclass(frozen=True)
class CategoryWeights:
    labour_intensity_low: float = 0
    labour_intensity_medium: float = 6
    labour_intensity_high: float = 12
    vulnerable_workforce: float = 8
    subcontracting: float = 6
    on_premises: float = 6
    unclassified: float = 20


@dataclass(frozen=True)
class GoodsListWeights:
    forced_labour: float = 30
    child_labour: float = 15
    forced_child_labour: float = 5
    derived: float = 10
    category_match_share: float = 0.5
    supplier_country_share: float = 0.5


@dataclass(frozen=True)
class CountryWeights:
    tip_tier_1: float = 0
    tip_tier_2: float = 4
    tip_tier_2_watch_list: float = 8
    tip_tier_3: float = 12
    tip_unknown: float = 6
    governance_max: float = 10
    ilab_no_advancement: float = 4
    ilab_moderate_advancement: float = 2
    exposure_low: float = 0.4
    exposure_medium: float = 0.7
    exposure_high: float = 1.0


@dataclass(frozen=True)
class MissingWeights:
    unknown_origin: float = 12
    origin_proxy: float = 4
    unknown_delivery: float = 4
    low_confidence: float = 6


@dataclass(frozen=True)
class ClassificationWeights:
    sure_threshold: float = 0.85


@dataclass(frozen=True)
class SupplierWeights:
    max_points: float = 20
    questionnaire: float = 10
    red_flag: float = 5
    unanswered: float = 8
    incomplete: float = 5
    expired_evidence: float = 3
    suspended: float = 15
    excluded: float = 20


@dataclass(frozen=True)
class IndicatorWeights:
    weight: float = 10


@dataclass(frozen=True)
class PriorityWeights:
    value_reference_eur: float = 10000
    value_weight: float = 0.5
    duration_weight: float = 0.25
    max_leverage: float = 4


@dataclass(frozen=True)
class Policy:
    levels: Levels = field(default_factory=Levels)
    category: CategoryWeights = field(default_factory=CategoryWeights)
    goods_list: GoodsListWeights = field(default_factory=GoodsListWeights)
    country: CountryWeights = field(default_factory=CountryWeights)
    missing: MissingWeights = field(default_factory=MissingWeights)
    classification: ClassificationWeights = field(default_factory=ClassificationWeights)
    supplier: SupplierWeights = field(default_factory=SupplierWeights)
    indicators: IndicatorWeights = field(default_factory=IndicatorWeights)
    priority: PriorityWeights = field(default_factory=PriorityWeights)
    source: str = "default policy"

    def level(self, score: float) -> str:
        if score >= self.levels.critical:
            return "critical"
        if score >= self.levels.high:
            return "high"
        if score >= self.levels.medium:
            return "medium"
        return "low"


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the key."""


def _section(cls: type, values: dict[str, Any], where: str) -> Any:
    unknown_keys(values, [f.name for f in fields(cls)], where, PolicyError)
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PolicyError(f"{where}.{key}: {value!r} is not a number")
    return cls(**{k: float(v) for k, v in values.items()})


def parse_policy(data: dict[str, Any], source: str) -> Policy:
    base = Policy()
    changes = merged_sections(base, data, source, PolicyError, _section)
    policy = replace(base, **changes)
    lv = policy.levels
    if not 0 < lv.medium < lv.high < lv.critical <= 100:
        raise PolicyError(f"{source} [levels]: need 0 < medium < high < critical <= 100, got {lv}")
    if not 0 < policy.classification.sure_threshold <= 1:
        raise PolicyError(
            f"{source} [classification]: sure_threshold must be above 0 and at most 1, "
            f"got {policy.classification.sure_threshold:g}"
        )
    return policy


def load_policy(path: str | Path | None = None) -> Policy:
    """Default policy, or the one in ``path`` (keys not given keep their default)."""
    if path is None:
        text = files("fairprocure.score").joinpath("policy.toml").read_text("utf-8")
        return parse_policy(tomllib.loads(text), "default policy")
    data = read_toml(Path(path), PolicyError, "policy")
    return parse_policy(data, str(path))
