"""The keyword baseline: multilingual keywords learned from the CPV labels, same interface as the model."""

import pytest

from fairprocure.classify.keywords import KeywordClassifier, keyword_table
from fairprocure.classify.model import TextPrediction


@pytest.fixture(scope="module")
def clf():
    return KeywordClassifier()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Кофе в зернах 1 кг", "coffee"),
        ("Reinigung der Büroräume", "cleaning"),
        ("Будівельні роботи", "construction_works"),
    ],
)
def test_keywords_find_the_category(clf, text, category):
    (pred,) = clf.predict([text])
    assert isinstance(pred, TextPrediction)
    assert pred.category == category
    assert pred.cpv is not None and len(pred.cpv) == 8
    assert "keywords:" in pred.evidence


def test_keywords_come_from_many_languages():
    table = keyword_table()
    for word in ("coffee", "kaffee", "kofe", "cafea", "kawa"):
        assert table[word].cpv.startswith("1586"), word


def test_words_shared_by_many_divisions_are_not_keywords():
    table = keyword_table()
    assert "services" not in table
    assert "equipment" not in table


def test_text_without_keywords_is_unclassified(clf):
    (pred,) = clf.predict(["Zzyzx qwerty"])
    assert (pred.cpv, pred.category, pred.confidence) == (None, "unclassified", 0.0)
