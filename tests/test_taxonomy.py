"""The taxonomy: every CPV 2008 code has a category, decided in a reviewed table, and a hand-labelled
sample of codes lands where a person reading the label puts it."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from fairprocure.classify.data import cpv_labels
from fairprocure.classify.taxonomy import (
    KINDS,
    UNCLASSIFIED,
    load_taxonomy,
    normalise_cpv,
    read_decisions,
)

SAMPLE = Path(__file__).parent / "fixtures" / "taxonomy" / "cpv_hand_labelled_sample.csv"


def significant(code: str) -> str:
    """A CPV code's hierarchical prefix: 03000000 -> 03, 03100000 -> 031, 03110000 -> 0311."""
    return code.rstrip("0").ljust(2, "0")


def test_every_cpv_2008_code_has_a_category(shared_data):
    taxonomy = load_taxonomy()
    with (shared_data / "cpv" / "cpv2008_main_en_fr_de_ro_ru_uk.csv").open(encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert len(codes) == 9454
    missing = [c for c in codes if taxonomy.category_for_cpv(c) is None]
    assert missing == []


def test_every_division_group_and_class_is_decided_in_the_table():
    """The review is explicit: each of the 45 divisions, 272 groups and 1,002 classes has its own row."""
    decisions = load_taxonomy().decisions
    levels = [significant(c) for c in cpv_labels() if len(significant(c)) <= 4]
    assert Counter(len(p) for p in levels) == {2: 45, 3: 272, 4: 1002}
    assert [p for p in levels if p not in decisions] == []


def test_table_rows_are_real_cpv_codes_with_their_labels_and_known_categories():
    taxonomy = load_taxonomy()
    labels = cpv_labels()
    for code, decision in taxonomy.decisions.items():
        full = code.ljust(8, "0")
        assert full in labels, f"{code} is not a CPV 2008 code"
        assert decision.label == labels[full]["en"], code
        assert decision.category in taxonomy.categories, code
    assert {d.category for d in taxonomy.decisions.values()} == set(taxonomy.categories) - {UNCLASSIFIED}


def test_an_override_says_why():
    """A row that departs from its parent's category carries a reason."""
    decisions = load_taxonomy().decisions
    for code, decision in decisions.items():
        parent = next(
            (decisions[code[:n]] for n in range(len(code) - 1, 1, -1) if code[:n] in decisions), None
        )
        if parent is not None and parent.category != decision.category:
            assert decision.reason, (
                f"{code} {decision.label}: {parent.category} -> {decision.category} without a reason"
            )


def hand_labelled():
    with SAMPLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_hand_labelled_sample_is_stratified_by_division():
    rows = hand_labelled()
    per_division = Counter(r["code"][:2] for r in rows)
    assert len(rows) >= 300
    assert len(per_division) == 45 and min(per_division.values()) >= 3


@pytest.mark.parametrize("row", hand_labelled(), ids=lambda r: f"{r['code']} {r['label'][:40]}")
def test_hand_labelled_sample(row):
    """312 codes drawn at random, 7 per division (seed 20261130), labelled by reading the CPV label."""
    assert load_taxonomy().category_for_cpv(row["code"]) == row["category"]


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


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("39241000", "household_goods"),  # Knives and scissors (was: garments)
        ("39221110", "household_goods"),  # Crockery (was: garments)
        ("39224100", "cleaning_products"),  # Brooms (was: garments)
        ("39225500", "chemicals_fuels"),  # Pyrotechnics (was: garments)
        ("39296100", "timber_furniture"),  # Coffins (was: garments)
        ("30121100", "electronics_ict"),  # Photocopiers (was: paper)
        ("30142200", "electronics_ict"),  # Cash registers (was: paper)
        ("37311100", "musical_instruments"),  # Pianos (was: vehicles)
        ("37510000", "toys_promotional"),  # Dolls (was: vehicles)
        ("33721000", "cleaning_products"),  # Razors (was: medical)
        ("33751000", "cleaning_products"),  # Disposable nappies (was: medical)
        ("33741300", "cleaning_products"),  # Hand sanitizer (was: medical)
        ("50112000", "vehicle_repair"),  # Repair and maintenance services of cars (was: transport)
        ("50112300", "vehicle_repair"),  # Car-washing services (was: transport)
        ("35113440", "gloves_ppe"),  # Reflective vests (was: vehicles)
        ("35113430", "gloves_ppe"),  # Safety vests (was: vehicles)
        ("39831200", "cleaning_products"),  # Detergents (was: palm oil)
        ("24911200", "chemicals_fuels"),  # Adhesives (was: palm oil)
        ("71421000", "agriculture_landscaping"),  # Landscape gardening services (was: consulting)
        ("31712331", "solar_batteries"),  # Photovoltaic cells (was: electronics)
        ("03131200", "tea"),  # Tea bushes (was: cocoa)
        ("03131400", "cocoa"),  # Cocoa beans (was: other food)
        ("41110000", "utilities"),  # Drinking water (was: other food, high-risk farm labour)
        ("70210000", "financial_transfers"),  # Residential property renting (rent)
        ("75310000", "financial_transfers"),  # Benefit services
        ("98322120", "personal_services"),  # Manicuring services
    ],
)
def test_the_errors_found_in_review_stay_fixed(code, category):
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


def test_every_category_says_where_its_attributes_come_from():
    for category in load_taxonomy().categories.values():
        assert category.source, category.id
        assert category.kind in KINDS


def test_a_bad_table_is_refused_with_its_row():
    with pytest.raises(ValueError, match="row 3, field code: 03 is decided twice"):
        read_decisions("code,label,category,reason\n03,a,food_other,\n03,b,coffee,\n")
    with pytest.raises(ValueError, match="row 2, field code: '3x'"):
        read_decisions("code,label,category,reason\n3x,a,food_other,\n")
