"""Training is reproducible: the same data gives the same model, array for array."""

import numpy as np

from fairprocure.classify import train
from fairprocure.classify.data import cpv_label_examples, ted_examples
from fairprocure.classify.model import TextClassifier


def small_training_set():
    labels = [
        e for e in cpv_label_examples() if e.cpv[:2] in ("15", "90", "79") and e.lang in ("en", "de", "ru")
    ]
    ted = [e for e in ted_examples() if e.cpv[:2] in ("15", "90", "79")][:300]
    return labels + ted


def test_rebuilding_reproduces_the_model():
    first = train.build(small_training_set())
    second = train.build(small_training_set())
    assert first.keys() == second.keys()
    for key in first:
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)


def test_a_model_from_a_few_divisions_separates_them():
    clf = TextClassifier(train.build(small_training_set()))
    preds = clf.predict(["Reinigungsdienste", "Кофе", "Security services"])
    assert [p.cpv[:2] for p in preds] == ["90", "15", "79"]


def test_ted_examples_keep_doc_ids_for_grouped_splits():
    ted = ted_examples()
    assert all(e.doc_id for e in ted)
    assert {e.source for e in ted} == {"title", "short_descr", "lot_title", "lot_descr"}
