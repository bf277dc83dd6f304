"""A text reading's classification status under the policy's sure threshold, its candidates and evidence."""

from __future__ import annotations

import json

from fairprocure.classify.taxonomy import load_taxonomy


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
    taxonomy = load_taxonomy()
    listed = ", ".join(
        f"{taxonomy.categories[c['category']].label if c['category'] in taxonomy.categories else c['category']}"
        f" {c['probability']:.0%}"
        for c in candidates
    )
    return "needs_review", text, f"needs review: {listed}; {prediction.evidence}"
