"""Inherent risk of the spend category: labour intensity, workforce, subcontracting, on-premises work.

UK PPN 009's "industry type", "nature of the workforce" and "business or supply-chain model"
indicators; the OSCE's own examples (cleaning, security, catering, hotels) score here whatever the
country, which answers the criticism that country indices under-read destination-country risk.

A category read from free text that "needs review" (its probability below the policy's
``sure_threshold``) never brings the full points of a guess: each candidate category brings its points
times its probability, and the probability left over ("none of these") brings the points of an
undetermined category times that share. The factors still add up to the line's score, and each says
its share ("Cleaning services, 40% likely: 40% of 32 points").
"""

from __future__ import annotations

import json

from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy
from fairprocure.score.model import Context, Factor

NAME = "category"
KEY = ("category", "candidates")  # candidates: JSON of a needs-review line's readings, else ''
SOURCE = "fairprocure taxonomy (UK PPN 009 indicators; OSCE and UN HLCM guidance)"
UNCERTAIN_SOURCE = "fairprocure text classifier (calibrated probabilities) and taxonomy"


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    if key.get("candidates"):
        return _weighted(json.loads(key["candidates"]), context)
    return _full(key["category"], context)


def _weighted(candidates: list[dict], context: Context) -> list[Factor]:
    """Probability-weighted points of each candidate category, and of "none of these"."""
    out = []
    rest = 1.0
    for i, candidate in enumerate(candidates):
        probability = float(candidate["probability"])
        rest -= probability
        full = _full(candidate["category"], context)
        total = sum(f.points for f in full)
        category = load_taxonomy().categories.get(candidate["category"])
        label = category.label if category else candidate["category"]
        reasons = "; ".join(f.evidence.split(": ", 1)[-1] for f in full) or "no category points"
        out.append(
            Factor(
                "category_candidate",
                round(probability * total, 2),
                f"Needs review — {label} (CPV {candidate['cpv']}), {probability:.0%} likely: "
                f"{probability:.0%} of {total:g} points ({reasons})",
                UNCERTAIN_SOURCE,
                severity=max((f.severity for f in full), default=0) if i == 0 else 0,
            )
        )
    rest = round(max(rest, 0.0), 2)
    unknown = context.policy.category.unclassified
    if rest > 0 and unknown:
        out.append(
            Factor(
                "category_candidate",
                round(rest * unknown, 2),
                f"Needs review — none of the candidates, {rest:.0%} likely: {rest:.0%} of the {unknown:g} "
                "points of an undetermined category",
                UNCERTAIN_SOURCE,
            )
        )
    return out


def _full(category_id: str, context: Context) -> list[Factor]:
    weights = context.policy.category
    category = load_taxonomy().categories.get(category_id) or load_taxonomy()[UNCLASSIFIED]
    if category.id == UNCLASSIFIED:
        return [
            Factor(
                "category_unknown",
                weights.unclassified,
                "What was bought could not be determined; treated as an at-risk category until classified",
                SOURCE,
                severity=1,
            )
        ]
    out = []
    intensity = getattr(weights, f"labour_intensity_{category.labour_intensity}")
    if intensity:
        out.append(
            Factor(
                "category_labour_intensity",
                intensity,
                f"{category.label}: {category.labour_intensity} labour intensity",
                SOURCE,
            )
        )
    if category.vulnerable_workforce and weights.vulnerable_workforce:
        out.append(
            Factor(
                "category_workforce",
                weights.vulnerable_workforce,
                f"{category.label}: typically low-skilled, seasonal or migrant workers",
                SOURCE,
                severity=1,
            )
        )
    if category.subcontracting and weights.subcontracting:
        out.append(
            Factor(
                "category_business_model",
                weights.subcontracting,
                f"{category.label}: labour subcontracting, agencies or long multi-tier supply chains are common",
                SOURCE,
            )
        )
    if category.on_premises and weights.on_premises:
        out.append(
            Factor(
                "category_on_premises",
                weights.on_premises,
                f"{category.label}: an outsourced service performed on the buyer's premises",
                SOURCE,
            )
        )
    return out
