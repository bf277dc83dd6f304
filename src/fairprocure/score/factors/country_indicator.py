"""User-supplied country indicators (e.g. the Global Slavery Index), loaded with ``--indicator``."""

from __future__ import annotations

from fairprocure.messages import COUNTRY, Number, template
from fairprocure.score.model import Context, Factor

NAME = "country_indicator"
KEY = ("context_country",)
SCORE = template(
    "indicator.score", "%(country)s: %(indicator)s score %(score)s/100", country=COUNTRY, score=Number()
)
SCORE_IN = template(
    "indicator.score_year",
    "%(country)s: %(indicator)s score %(score)s/100 (%(year)s)",
    country=COUNTRY,
    score=Number(),
)


def active(context: Context) -> bool:
    return bool(context.indicators)


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    iso3 = key["context_country"]
    out = []
    for indicator in context.indicators:
        if iso3 in indicator.scores:
            score, year = indicator.scores[iso3]
            points = round(context.policy.indicators.weight * score / 100, 2)
            said = {"country": iso3, "indicator": indicator.name, "score": score}
            evidence = SCORE_IN(**said, year=str(year)) if year else SCORE(**said)
            out.append(Factor(f"indicator:{indicator.name}", points, evidence, indicator.source))
    return [f for f in out if f.points]
