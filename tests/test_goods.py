"""Listed goods named in descriptions, in the shipped languages; and the lexicon covers the whole DOL List."""

import csv

import pytest

from fairprocure.classify.data import cpv_labels
from fairprocure.classify.goods import (
    COMPILED,
    GoodMatch,
    decode,
    encode,
    goods_matcher,
    word_matches,
    write_compiled,
)
from fairprocure.reference import data_path
from fairprocure.reference.ilab import goods_taxonomy, listings_by_country


def goods(text):
    return {m.good for m in goods_matcher().match(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Disposable nitrile examination gloves",
        "Gants d'examen en nitrile non poudrés",  # French
        "Einweghandschuhe aus Nitril, puderfrei",  # German compound
        "Перчатки нитриловые смотровые неопудренные",  # Russian
        "Рукавички нітрилові оглядові",  # Ukrainian
        "Rękawice nitrylowe jednorazowe",  # Polish
        "Mănuși de unică folosință din nitril",  # Romanian
        "Guantes de nitrilo desechables",  # Spanish
        "Surgical gloves, latex, sterile, size 7.5",
        "Ръкавици нитрилни за еднократна употреба",  # Bulgarian
        "Luvas de nitrilo descartáveis",  # Portuguese
        "Nitril handschoenen, poedervrij",  # Dutch
    ],
)
def test_rubber_gloves_are_named_in_every_language(text):
    assert {"Gloves", "Rubber Gloves"} <= goods(text), goods_matcher().match(text)


@pytest.mark.parametrize(
    ("text", "good"),
    [
        ("Roasted coffee beans for the cafeteria", "Coffee"),
        ("Кофе в зернах 1 кг", "Coffee"),
        ("Kaffeebohnen, Arabica", "Coffee"),
        ("Cotton uniforms for drivers", "Cotton"),
        ("Baumwollhemden für Fahrer", "Cotton"),
        ("Хлопчатобумажные халаты", "Cotton"),
        ("Mobile phones for field staff", "Electronics"),
        ("Smartphones Samsung Galaxy A54", "Electronics"),
        ("Ноутбуки для офиса", "Electronics"),
        ("Clay bricks for the warehouse extension", "Bricks"),
        ("Frozen shrimp 1 kg", "Shrimp"),
        ("Gold bars", "Gold"),
        ("Solar panels 400 W for the roof", "Solar Modules"),
        ("Polysilicon feedstock", "Polysilicon"),
        ("Chocolate bars for the reception", "Cocoa"),
        ("Sel de déneigement", "Salt"),
        ("Safety boots S3", "Footwear"),
        ("Tomato paste 800g", "Tomato Products"),
        ("Cafea boabe 1 kg", "Coffee"),  # Romanian: one-word labels this short are not harvested
        ("Kahvi ja tee henkilöstölle", "Coffee"),  # Finnish
        ("Koffie voor de kantine", "Coffee"),  # Dutch
        ("Kawa ziarnista 1 kg", "Coffee"),  # Polish
        ("Ladrillos cerámicos", "Bricks"),
        ("Cegły pełne", "Bricks"),
        ("Tričká z bavlny", "Cotton"),
        ("Moquette pour les bureaux", "Carpets"),
        ("Huile de palme raffinée", "Refined Palm Oil"),
        ("Palmöl für die Kantine", "Crude Palm Oil"),
        ("Jalkineet henkilöstölle", "Footwear"),
    ],
)
def test_listed_goods_are_named(text, good):
    assert good in goods(text), goods_matcher().match(text)


@pytest.mark.parametrize(
    ("text", "not_good"),
    [
        ("Coffee tables for the lounge", "Coffee"),
        ("Coffee machine maintenance", "Coffee"),
        ("Tea towels", "Tea"),
        ("Mobile phones for field staff", "Furniture"),  # Italian "mobili" is furniture
        ("Laptops Dell Latitude", "Dairy Products"),  # Romanian "lapte" is milk
        ("Fourniture de repas pour 2 établissements", "Cement"),  # Finnish "sementti"
        ("Fourniture de légumes frais", "Strawberries"),  # French "frais" is not "fraises"
        ("Paracetamol tablets 500 mg", "Electronics"),
        ("Kaffeemaschine für die Teeküche", "Coffee"),
        ("Independent chair of the audit committee", "Furniture"),
        ("Road salt spreaders", "Salt"),
        ("The supply of goods", "Tea"),  # French "thé" is never read from a lone "the"
        ("Espressor de cafea pentru birou", "Coffee"),
        ("Tapis roulant pour bagages", "Carpets"),
        ("Construction of football changing rooms", "Soccer Balls"),
        ("Generalny doradca prawny", "Shrimp"),  # Polish "prawny" is legal
        ("Wandbekleidung und Fassadenverkleidung", "Garments"),  # cladding, not clothing
    ],
)
def test_false_friends_and_masks_do_not_name_goods(text, not_good):
    assert not_good not in goods(text), goods_matcher().match(text)


def test_services_and_transfers_name_no_goods():
    for text in (
        "Office cleaning services",
        "Council tax",
        "Legal advice",
        "Help to Buy ISA bonus prepayment",
    ):
        assert goods(text) == set(), text


def test_word_forms():
    assert word_matches("glove", "gloves") and word_matches("perchatok", "perchatki")
    assert word_matches("einweghandschuhe", "handschuhe") and word_matches("baumwollhemden", "baumwolle")
    assert not word_matches("tables", "tablet") and not word_matches("frais", "fraises")
    assert not word_matches("rice", "price") and not word_matches("price", "rice")


def test_encoding_round_trips():
    matches = (GoodMatch("Rubber Gloves", "nitrile gloves"), GoodMatch("Gloves", "@UNSPSC 42132203"))
    assert decode(encode(matches)) == list(matches)
    assert decode("") == []


def test_every_listed_good_has_words_and_a_category_mapping():
    listed = {listing.good for rows in listings_by_country().values() for listing in rows}
    assert listed <= goods_matcher().goods
    assert listed == set(goods_taxonomy())


def test_the_lexicon_and_the_mapping_name_real_cpv_codes():
    labels = cpv_labels()
    with data_path("ilab/goods_lexicon.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["kind"] == "cpv":
                assert all(code in labels for code in row["value"].split()), row
    for good, (_, prefixes) in goods_taxonomy().items():
        for prefix in prefixes:
            assert any(code.startswith(prefix) for code in labels), (good, prefix)


def test_a_good_has_the_cpv_code_that_names_it():
    assert goods_matcher().code_of("Rubber Gloves") == "18424300"
    assert goods_matcher().code_of("Coffee") == "15861000"


def test_the_shipped_compiled_lexicon_is_current(tmp_path):
    """Rebuild with: python -m fairprocure.classify.goods"""
    fresh = tmp_path / "compiled.csv"
    write_compiled(fresh)
    assert fresh.read_text(encoding="utf-8") == data_path(COMPILED).read_text(encoding="utf-8")
