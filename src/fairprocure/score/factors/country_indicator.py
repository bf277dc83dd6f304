"""User-supplied country indicators (e.g. the Global Slavery Index), loaded with ``--indicator``."""

from __future__ import annotations

from fairprocure.score.model import Context, Factor, country_name

NAME = "country_indicator"
KEY = ("context_country",)


def active(context: Context) -> bool:
    return bool(context.indicators)


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    iso3 = key["context_country"]
    out = []
    for indicator in context.indicators:
        if iso3 in indicator.scores:
            score, year = indicator.scores[iso3]
            points = round(context.policy.indicators.weight * score / 100, 2)
            when = f" ({year})" if year else ""
            out.append(
                Factor(
                    f"indicator:{indicator.name}",
                    points,
                    f"{country_name(iso3)}: {indicator.name} score {score:g}/100{when}",
                    indicator.source,
                )
            )
    return [f for f in out if f.points]
