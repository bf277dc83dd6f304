"""Normalisation of real descriptions: scripts, accents, codes, quantities, abbreviations, boilerplate."""

import pytest

from fairprocure.classify.normalise import normalise, transliterate


def test_cyrillic_is_romanised_and_quantities_dropped():
    assert normalise("Кофе в зернах 1 кг") == "kofe v zernakh"


def test_ukrainian_soft_sign_does_not_split_words():
    assert normalise("Будівельні роботи") == "budivelni roboti"


def test_latin_accents_are_stripped():
    assert normalise("Servicii de pază") == "servicii de paza"
    assert normalise("Reinigung der Büroräume") == "reinigung der buroraume"


def test_greek_capitals_and_accented_lower_case_meet():
    assert normalise("ΚΑΘΑΡΙΣΜΟΥ") == normalise("καθαρισμού")


def test_mixed_script_homoglyph_is_harmless():
    # "кофе" typed with a Latin "o" in the middle of Cyrillic letters
    assert normalise("кoфе") == normalise("кофе")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cleaning Vienna office Q3", "cleaning vienna office"),
        ("Laptops 30213000-5 x 20 pcs", "laptops"),
        ("Paper A4 500 sheets 80g", "paper sheets"),
        ("Diensten inzake grafisch ontwerp — PO/2017-06/A2.", "diensten inzake grafisch ontwerp"),
    ],
)
def test_codes_numbers_and_units_are_removed(text, expected):
    assert normalise(text) == expected


def test_ledger_abbreviations_are_expanded():
    assert normalise("Bldg maint svcs") == "bldg maintenance services"


@pytest.mark.parametrize(
    "text", ["see description of related tender", "N/A", "Misc.", "  ", "", None, "12345"]
)
def test_boilerplate_and_empty_text_normalise_to_nothing(text):
    assert normalise(text) == ""


def test_transliterate_keeps_words_but_not_case():
    assert transliterate("Usługi CATERINGOWE") == "uslugi cateringowe"
