"""Training on your own coded history: a labelled CSV teaches the model words the shipped data lacks."""

import pytest

from fairprocure.classify import model, train
from fairprocure.classify.data import cpv_label_examples, labelled_file_examples


def few_divisions():
    return [e for e in cpv_label_examples() if e.cpv[:2] in ("15", "90", "79") and e.lang in ("en", "de")]


def test_your_labelled_lines_are_read_with_their_codes(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("Description,CPV,Amount\nKaffeekapseln Büro,15861000-1,20\nno code here,,5\n")
    examples = labelled_file_examples(path)
    assert [(e.text, e.cpv, e.source) for e in examples] == [("Kaffeekapseln Büro", "15861000", "user")]


def test_a_bad_code_names_the_row(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("text,cpv\nKaffee,15861000\nTee,tea\n")
    with pytest.raises(ValueError, match=r"history.csv, row 3, column 'cpv'"):
        labelled_file_examples(path)


def test_a_model_trained_with_your_data_is_used_when_named(tmp_path, monkeypatch):
    history = tmp_path / "history.csv"
    # An in-house project name no CPV label contains, taught as cleaning (90) by the buyer's history.
    history.write_text("description,cpv\n" + "Projekt Blauwal Lager,90910000\n" * 5)
    without = model.TextClassifier(train.build(few_divisions())).predict(["Projekt Blauwal"])[0]
    out = tmp_path / "own.npz"
    train.save(train.build(few_divisions() + labelled_file_examples(history)), out)
    monkeypatch.setenv("FAIRPROCURE_MODEL", str(out))
    model.load_classifier.cache_clear()
    try:
        prediction = model.load_classifier().predict(["Projekt Blauwal"])[0]
    finally:
        model.load_classifier.cache_clear()
    assert not (without.cpv or "").startswith("90")
    assert prediction.cpv.startswith("90")


def test_a_missing_model_file_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRPROCURE_MODEL", str(tmp_path / "nope.npz"))
    model.load_classifier.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=r"fairprocure\.classify\.train"):
            model.load_classifier()
    finally:
        model.load_classifier.cache_clear()
