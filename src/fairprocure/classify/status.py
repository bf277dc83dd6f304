"""A text reading's classification status under the policy's sure threshold, its candidates and evidence."""

from __future__ import annotations

import json

from fairprocure.messages import CATEGORY, MESSAGE, Kind, Number, template

CANDIDATE = template(
    "class.candidate", "%(category)s %(probability)s%%", category=CATEGORY, probability=Number(".0f")
)
NEEDS_REVIEW = template(
    "class.needs_review",
    "needs review: %(candidates)s; %(reason)s",
    candidates=Kind("message", many=True),
    reason=MESSAGE,
)


def classification_status(prediction, sure: float) -> tuple[str, str | None, str]:
    """(status, candidates as JSON, evidence) of a text prediction under the policy's sure threshold.

    Status is ``sure`` (the category's probability reaches the threshold), ``needs_review`` (below it:
    the candidates are the evidence) or ``unclassified`` (nothing usable in the text). Candidate
    probabilities are rounded to two decimals: they are keys the scoring groups on."""
    if prediction.cpv is None:
        return "unclassified", None, prediction.evidence
    candidates = [
        {"category": c.category, "cpv": c.cpv, "probability": round(c.probability, 2)}
        for c in getattr(prediction, "candidates", ())
        if round(c.probability, 2) > 0
    ] or [
        {
            "category": prediction.category,
            "cpv": prediction.cpv,
            "probability": round(prediction.confidence, 2),
        }
    ]
    text = json.dumps(candidates, ensure_ascii=False, separators=(",", ":"))
    if prediction.confidence >= sure:
        return "sure", text, prediction.evidence
    listed = [
        CANDIDATE(category=c["category"], probability=round(100 * c["probability"])) for c in candidates
    ]
    return "needs_review", text, NEEDS_REVIEW(candidates=listed, reason=prediction.evidence)
