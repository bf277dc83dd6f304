"""The taxonomy covers every CPV 2008 code, and the risk-relevant codes land where a buyer expects."""

import csv

import pytest

from fairprocure.classify.taxonomy import UNCLASSIFIED, load_taxonomy, normalise_cpv


def test_every_cpv_2008_code_has_a_category(shared_data):
    taxonomy = load_taxonomy()
    with (shared_data / "cpv" / "cpv2008_main_en_fr_de_ro_ru_uk.csv").open(encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert len(codes) == 9454
    missing = [c for c in codes if taxonomy.category_for_cpv(c) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("15861000-1", "coffee"),  # Coffee
        ("15863000-5", "tea"),
        ("15841000-5", "cocoa"),  # Cocoa
        ("15831000-2", "sugar"),
        ("32250000-0", "electronics_ict"),  # Mobile telephones
        ("30213100-6", "electronics_ict"),  # Portable computers
        ("09331200-0", "solar_batteries"),  # Solar photovoltaic modules
        ("31440000-2", "solar_batteries"),  # Batteries
        ("18424300-0", "gloves_ppe"),  # Disposable gloves
        ("18110000-3", "garments_textiles"),  # Occupational clothing
        ("18800000-7", "footwear"),
        ("03311000-2", "fish_seafood"),
        ("15411000-2", "palm_oil"),  # Animal or vegetable oils
        ("39130000-2", "timber_furniture"),  # Office furniture
        ("44111000-1", "construction_materials"),  # Building materials (bricks)
        ("37520000-9", "toys_promotional"),  # Toys
        ("90919200-4", "cleaning"),  # Office cleaning services
        ("79713000-5", "security"),  # Guard services
        ("55520000-1", "catering"),  # Catering services
        ("55110000-4", "hotels_conferences"),  # Hotel accommodation services
        ("79952000-2", "hotels_conferences"),  # Event services
        ("45210000-2", "construction_works"),
        ("79993000-1", "facility_management"),  # Building and facilities management services
        ("90511000-2", "waste"),  # Refuse collection services
        ("60100000-9", "transport_logistics"),  # Road transport services
        ("79620000-6", "staffing_recruitment"),  # Supply services of personnel
        ("77310000-6", "agriculture_landscaping"),  # Planting and maintenance of green areas
        ("98310000-9", "laundry"),
        ("79110000-8", "legal"),
        ("48000000-8", "software"),
        ("72000000-5", "it_services"),
        ("79400000-8", "consulting"),
    ],
)
def test_risk_relevant_codes(code, category):
    assert load_taxonomy().category_for_cpv(code) == category


def test_codes_are_normalised_from_messy_input():
    assert normalise_cpv("15861000-1") == "15861000"
    assert normalise_cpv(" 3000000 ") == "03000000"  # leading zero lost in a spreadsheet
    assert normalise_cpv("15.86.10.00") == "15861000"
    assert normalise_cpv("32121701-003") is None  # a Paraguayan catalogue code is not CPV
    assert normalise_cpv(None) is None


def test_unclassified_is_a_category_with_no_codes():
    taxonomy = load_taxonomy()
    assert taxonomy[UNCLASSIFIED].cpv == ()
    assert taxonomy[UNCLASSIFIED].kind == "unknown"
