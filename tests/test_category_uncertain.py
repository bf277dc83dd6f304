"""A category that needs review brings the probability-weighted points of its candidates, never a guess's
full points; the classification status follows the policy's sure threshold."""

import json

import pytest
from conftest import Guess

from fairprocure.classify.model import Candidate, TextPrediction
from fairprocure.classify.status import classification_status
from fairprocure.score.factors import category
from fairprocure.score.model import Context
from fairprocure.score.policy import PolicyError, parse_policy


@pytest.fixture(scope="module")
def context():
    return Context()


def full_points(name, context):
    return round(sum(f.points for f in category.compute({"category": name, "candidates": ""}, context)), 2)


def test_needs_review_scores_each_candidate_by_its_probability(context):
    candidates = [
        {"category": "cleaning", "cpv": "90910000", "probability": 0.4},
        {"category": "facility_management", "cpv": "50700000", "probability": 0.35},
    ]
    factors = category.compute({"category": "cleaning", "candidates": json.dumps(candidates)}, context)
    assert [f.factor for f in factors] == ["category_candidate"] * 3
    cleaning, facility, rest = (f.points for f in factors)
    assert cleaning == pytest.approx(0.4 * full_points("cleaning", context), abs=0.01)
    assert facility == pytest.approx(0.35 * full_points("facility_management", context), abs=0.01)
    assert rest == pytest.approx(0.25 * context.policy.category.unclassified, abs=0.01)
    assert "40% likely" in factors[0].evidence and "Needs review" in factors[0].evidence
    assert cleaning < full_points("cleaning", context)  # never the full points of the guess


def test_a_sure_or_coded_category_keeps_its_full_points(context):
    assert full_points("cleaning", context) == round(
        sum(f.points for f in category.compute({"category": "cleaning"}, context)), 2
    )


def prediction(confidence, candidates=()):
    return TextPrediction("90910000", "cleaning", confidence, "nearest CPV 90910000", tuple(candidates))


def test_the_status_follows_the_sure_threshold():
    cands = [Candidate("90910000", "cleaning", 0.85), Candidate("50700000", "facility_management", 0.1)]
    status, text, evidence = classification_status(prediction(0.85, cands), sure=0.8)
    assert status == "sure" and evidence == "nearest CPV 90910000"
    assert json.loads(text)[1] == {"category": "facility_management", "cpv": "50700000", "probability": 0.1}
    status, _, evidence = classification_status(prediction(0.85, cands), sure=0.9)
    assert status == "needs_review"
    assert evidence.startswith("needs review: Cleaning") and "85%" in evidence and "10%" in evidence


def test_a_classifier_without_candidates_still_gets_a_status():
    status, text, _ = classification_status(Guess("15861000", "coffee", 0.3, "stub"), sure=0.8)
    assert status == "needs_review"
    assert json.loads(text) == [{"category": "coffee", "cpv": "15861000", "probability": 0.3}]
    assert classification_status(Guess(None, "unclassified", 0.0, "no text"), sure=0.8)[:2] == (
        "unclassified",
        None,
    )


def test_the_sure_threshold_is_a_checked_policy_key():
    assert parse_policy({"classification": {"sure_threshold": 0.9}}, "p").classification.sure_threshold == 0.9
    with pytest.raises(PolicyError, match="sure_threshold"):
        parse_policy({"classification": {"sure_threshold": 1.5}}, "p")
    with pytest.raises(PolicyError, match="unknown key"):
        parse_policy({"classification": {"sure": 0.9}}, "p")
