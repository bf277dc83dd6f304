"""Inherent risk of the spend category: labour intensity, workforce, subcontracting, on-premises work.

UK PPN 009's "industry type", "nature of the workforce" and "business or supply-chain model"
indicators; the OSCE's own examples (cleaning, security, catering, hotels) score here whatever the
country, which answers the criticism that country indices under-read destination-country risk.
"""

from __future__ import annotations

from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy
from fairprocure.messages import CATEGORY, Term, sources, template
from fairprocure.score.model import Context, Factor

NAME = "category"
KEY = ("category",)
SOURCE = "fairprocure taxonomy (UK PPN 009 indicators; OSCE and UN HLCM guidance)"
sources(SOURCE)

INTENSITY = Term("labour intensity", ("low", "medium", "high"))
UNKNOWN = template(
    "category.unknown",
    "What was bought could not be determined; treated as an at-risk category until classified",
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


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    weights = context.policy.category
    category = load_taxonomy().categories.get(key["category"]) or load_taxonomy()[UNCLASSIFIED]
    if category.id == UNCLASSIFIED:
        return [Factor("category_unknown", weights.unclassified, UNKNOWN(), SOURCE, severity=1)]
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
