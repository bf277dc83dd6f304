"""Inherent risk of the spend category: labour intensity, workforce, subcontracting, on-premises work.

UK PPN 009's "industry type", "nature of the workforce" and "business or supply-chain model"
indicators; the OSCE's own examples (cleaning, security, catering, hotels) score here whatever the
country, which answers the criticism that country indices under-read destination-country risk.
"""

from __future__ import annotations

from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy
from fairprocure.score.model import Context, Factor

NAME = "category"
KEY = ("category",)
SOURCE = "fairprocure taxonomy (UK PPN 009 indicators; OSCE and UN HLCM guidance)"


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    weights = context.policy.category
    category = load_taxonomy().categories.get(key["category"]) or load_taxonomy()[UNCLASSIFIED]
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
    if category.kind == "transfer":
        return [
            Factor(
                "category_transfer",
                0,
                f"{category.label}: a payment that buys no goods or labour; no supply-chain risk to score",
                SOURCE,
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
