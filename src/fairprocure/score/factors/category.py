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
from fairprocure.messages import CATEGORY, Kind, Number, Term, sources, template
from fairprocure.score.model import Context, Factor

NAME = "category"
KEY = ("category", "candidates")  # candidates: JSON of a needs-review line's readings, else ''
SOURCE = "fairprocure taxonomy (UK PPN 009 indicators; OSCE and UN HLCM guidance)"
UNCERTAIN_SOURCE = "fairprocure text classifier (calibrated probabilities) and taxonomy"
sources(SOURCE, UNCERTAIN_SOURCE)

INTENSITY = Term("labour intensity", ("low", "medium", "high"))
UNKNOWN = template(
    "category.unknown",
    "What was bought could not be determined; treated as an at-risk category until classified",
)
TRANSFER = template(
    "category.transfer",
    "%(category)s: a payment that buys no goods or labour; no supply-chain risk to score",
    category=CATEGORY,
)
LABOUR_INTENSITY = template(
    "category.intensity",
    "%(category)s: %(intensity)s labour intensity",
    category=CATEGORY,
    intensity=INTENSITY,
)
WORKFORCE = template(
    "category.workforce",
    "%(category)s: typically low-skilled, seasonal or migrant workers",
    category=CATEGORY,
)
BUSINESS_MODEL = template(
    "category.business_model",
    "%(category)s: labour subcontracting, agencies or long multi-tier supply chains are common",
    category=CATEGORY,
)
ON_PREMISES = template(
    "category.on_premises",
    "%(category)s: an outsourced service performed on the buyer's premises",
    category=CATEGORY,
)
CANDIDATE = template(
    "category.candidate",
    "Needs review — %(category)s, %(probability)s%% likely: %(probability)s%% of %(points)s points (%(reasons)s)",
    category=CATEGORY,
    probability=Number(".0f"),
    points=Number(),
    reasons=Kind("message", many=True),
)
CANDIDATE_NO_POINTS = template(
    "category.candidate_no_points",
    "Needs review — %(category)s, %(probability)s%% likely: no category points",
    category=CATEGORY,
    probability=Number(".0f"),
)
NONE_OF_THEM = template(
    "category.candidate_rest",
    "Needs review — none of the candidates, %(probability)s%% likely: %(probability)s%% of the %(points)s "
    "points of an undetermined category",
    probability=Number(".0f"),
    points=Number(),
)


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
        said = {"category": candidate["category"], "probability": round(100 * probability)}
        evidence = (
            CANDIDATE(**said, points=total, reasons=[f.evidence for f in full])
            if total
            else CANDIDATE_NO_POINTS(**said)
        )
        severity = max((f.severity for f in full), default=0) if i == 0 else 0
        out.append(
            Factor("category_candidate", round(probability * total, 2), evidence, UNCERTAIN_SOURCE, severity)
        )
    rest = round(max(rest, 0.0), 2)
    unknown = context.policy.category.unclassified
    if rest > 0 and unknown:
        evidence = NONE_OF_THEM(probability=round(100 * rest), points=unknown)
        out.append(Factor("category_candidate", round(rest * unknown, 2), evidence, UNCERTAIN_SOURCE))
    return out


def _full(category_id: str, context: Context) -> list[Factor]:
    weights = context.policy.category
    category = load_taxonomy().categories.get(category_id) or load_taxonomy()[UNCLASSIFIED]
    if category.id == UNCLASSIFIED:
        return [Factor("category_unknown", weights.unclassified, UNKNOWN(), SOURCE, severity=1)]
    if category.kind == "transfer":
        return [Factor("category_transfer", 0, TRANSFER(category=category.id), SOURCE)]
    out = []
    intensity = getattr(weights, f"labour_intensity_{category.labour_intensity}")
    if intensity:
        evidence = LABOUR_INTENSITY(category=category.id, intensity=category.labour_intensity)
        out.append(Factor("category_labour_intensity", intensity, evidence, SOURCE))
    if category.vulnerable_workforce and weights.vulnerable_workforce:
        evidence = WORKFORCE(category=category.id)
        out.append(Factor("category_workforce", weights.vulnerable_workforce, evidence, SOURCE, severity=1))
    if category.subcontracting and weights.subcontracting:
        evidence = BUSINESS_MODEL(category=category.id)
        out.append(Factor("category_business_model", weights.subcontracting, evidence, SOURCE))
    if category.on_premises and weights.on_premises:
        evidence = ON_PREMISES(category=category.id)
        out.append(Factor("category_on_premises", weights.on_premises, evidence, SOURCE))
    return out
