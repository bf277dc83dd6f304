"""Every code the data carries is read: CPV, UNSPSC, HS, MCC, the user's own codes; and the ledger's expense terms."""

import csv

import pyarrow as pa
import pytest

from fairprocure.classify.codes import (
    code_maps,
    detect_scheme,
    load_code_labels,
    load_code_mapping,
    scheme_name,
)
from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.classify.terms import term_reader
from fairprocure.engine.duckdb_engine import DuckDBBackend
from fairprocure.engine.plan import run_plan
from fairprocure.reference import data_path
from fairprocure.schema import LINE_SCHEMA
from fairprocure.score.model import Context


@pytest.mark.parametrize(
    ("given", "name"),
    [("CPV", "CPV"), ("cpv", "CPV"), ("UNSPSC", "UNSPSC"), ("unspsc v24", "UNSPSC"), ("HS code", "HS"),
     ("CN8", "HS"), ("TARIC", "HS"), ("MCC", "MCC"), ("Merchant Category Code", "MCC"),
     ("ProClass", "ProClass"), ("Warengruppe", None), ("", None)],
)  # fmt: skip
def test_scheme_names_as_the_data_spells_them(given, name):
    assert scheme_name(given) == name


@pytest.mark.parametrize(
    ("code", "scheme"),
    [("03000000-1", "CPV"), ("15861000", "CPV"), ("42132203", "UNSPSC"), ("4213220301", "UNSPSC"),
     ("0901.21", "HS"), ("8471.30.00", "HS"), ("7349", None), ("ABC-12", None), ("32121701-003", None)],
)  # fmt: skip
def test_the_scheme_is_read_from_the_code_shape_when_not_given(code, scheme):
    assert detect_scheme(code) == scheme


@pytest.mark.parametrize(
    ("scheme", "code", "category", "goods"),
    [
        ("UNSPSC", "42132203", "gloves_ppe", ("Rubber Gloves", "Gloves")),  # medical exam gloves
        ("UNSPSC", "43191501", "electronics_ict", ("Electronics",)),  # mobile phones
        ("UNSPSC", "76111501", "cleaning", ()),  # building cleaning services
        ("UNSPSC", "93151507", "public_administration", ()),
        ("HS", "4015.19", "gloves_ppe", ("Rubber Gloves", "Gloves")),
        ("HS", "090121", "coffee", ("Coffee",)),
        ("HS", "85171300", "electronics_ict", ("Electronics",)),
        ("HS", "854143", "solar_batteries", ("Solar Modules",)),
        ("HS", "5208", "garments_textiles", ("Cotton",)),
        ("MCC", "7349", "cleaning", ()),
        ("MCC", "5542", "chemicals_fuels", ()),  # fuel dispensers, inside the 5511-5599 dealer range
        ("MCC", "7542", "vehicle_repair", ()),  # car washes
        ("MCC", "9311", "financial_transfers", ()),  # tax payments
        ("MCC", "5812", "catering", ()),
        ("CPV", "15861000", "coffee", ()),
    ],
)
def test_codes_read_into_categories_and_goods(scheme, code, category, goods):
    reading = code_maps().read(scheme, code)
    assert (reading.category, reading.goods) == (category, goods)
    assert code in reading.evidence


def test_unknown_codes_say_nothing():
    assert code_maps().read("UNSPSC", "abc") is None
    assert code_maps().read("Warengruppe", "4711") is None
    assert code_maps().read("MCC", "0001") is None
    assert code_maps().read(None, "7349") is None  # four digits alone: MCC or an HS heading?


def test_mapping_files_use_known_categories_and_cover_every_unspsc_segment_and_hs_chapter():
    maps, categories = code_maps(), load_taxonomy().categories
    for table in maps.prefixes.values():
        assert {c for c, _, _ in table.values()} <= set(categories)
    segments = {"10", "11", "12", "13", "14", "15", *map(str, range(20, 28)), "30", "31", "32", "39",
                *map(str, range(40, 58)), "60", *map(str, range(70, 74)), "76", "77", "78", *map(str, range(80, 87)),
                *map(str, range(90, 96))}  # fmt: skip
    assert segments <= set(maps.prefixes["UNSPSC"])
    chapters = {f"{n:02d}" for n in range(1, 98)} - {"77"}  # chapter 77 is reserved
    assert chapters <= set(maps.prefixes["HS"])
    listed_goods = {r["good"] for r in csv.DictReader(data_path("ilab/goods_to_taxonomy.csv").open())}
    named = {g for table in maps.prefixes.values() for _, goods, _ in table.values() for g in goods}
    named |= {g for _, _, _, goods, _ in maps.mcc for g in goods}
    assert named <= listed_goods


def test_your_licensed_labels_and_your_own_codes(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("scheme,code,label\nUNSPSC,42132203,Medical exam or non surgical procedure gloves\n")
    maps = load_code_labels(labels)
    assert "'Medical exam or non surgical procedure gloves'" in maps.read("UNSPSC", "42132203").evidence
    mapping = tmp_path / "mine.csv"
    mapping.write_text("scheme,code,category,source\nProClass,CA0100,catering,our ProClass table\n")
    maps = load_code_mapping(mapping, maps)
    reading = maps.read("ProClass", "CA0100")
    assert reading.category == "catering" and "our ProClass table" in reading.evidence
    bad = tmp_path / "bad.csv"
    bad.write_text("scheme,code,category\nProClass,X1,catering\nProClass,X2,cleanin\n")
    with pytest.raises(ValueError, match=r"bad.csv, row 3, column 'category': 'cleanin'"):
        load_code_mapping(bad)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Help to Buy ISA bonus prepayment — HTB ISA bonus prepayment", "financial_transfers"),
        ("Business rates — Council Tax (Business Rates)", "financial_transfers"),
        ("Quarterly payment 1 Horse Guards Road — Rent", "financial_transfers"),
        ("Grants-Private Persons", "financial_transfers"),
        ("Rent Allowance Cheques (Home Choice)", "financial_transfers"),
        ("Loyer", "financial_transfers"),
        ("Аренда", "financial_transfers"),
        ("Cleaning-Office & Common Areas", "cleaning"),
        ("Temporary Bureau Staffing", "staffing_recruitment"),
        ("Electricity", "utilities"),
        ("Loyer bureaux Paris", "financial_transfers"),
        ("Quarterly rent 1 Horse Guards Road", "financial_transfers"),
        ("Büromiete Januar", "financial_transfers"),
        ("RESIDENTIAL CARE PRIVATE SPOT", "health_social_care"),
        ("Nursing care - FNC", "health_social_care"),
        ("Aide à domicile des personnes âgées", "health_social_care"),
        ("HOME TO SCHOOL TRANSPORT", "transport_logistics"),
        ("BED & BREAKFAST EXPENSES - CLIENTS", "hotels_conferences"),
    ],
)
def test_ledger_expense_terms(text, category):
    assert term_reader().read(text).category == category


def test_generic_words_count_only_as_a_whole_ledger_field():
    reader = term_reader()
    assert reader.read("Rent of the conference hall") is None  # not a ledger's "Rent"
    assert reader.read("Materials") is None
    assert reader.read("Office supplies — Rent").category == "financial_transfers"


def _lines(rows):
    cols = {f.name: [r.get(f.name) for r in rows] for f in LINE_SCHEMA}
    return pa.table({k: pa.array(v, LINE_SCHEMA.field(k).type) for k, v in cols.items()}, schema=LINE_SCHEMA)


def test_codes_terms_and_named_goods_beat_the_text_model():
    def model(texts):  # a confident but wrong text model
        from conftest import Guess

        return [Guess("33192210", "medical_pharma", 0.9, "model: examination tables") for _ in texts]

    base = {"office": "HQ", "value": 1000.0, "currency": "EUR", "value_eur": 1000.0}
    rows = [
        {"line_id": "u", "description": "Item 7", "classification_scheme": "UNSPSC",
         "classification_code": "76111501", **base},
        {"line_id": "h", "description": "Gloves", "classification_code": "4015.19", "origin_country": "MYS", **base},
        {"line_id": "m", "description": "Card payment", "classification_scheme": "MCC",
         "classification_code": "9311", **base},
        {"line_id": "g", "description": "Disposable nitrile examination gloves", "origin_country": "MYS", **base},
        {"line_id": "n", "description": "Disposable nitrile examination gloves", "origin_country": "AUT", **base},
        {"line_id": "t", "description": "Misc — Council Tax (Business Rates)", **base},
        {"line_id": "x", "description": "Widgets", **base},
    ]  # fmt: skip
    register = run_plan(DuckDBBackend(), _lines(rows), Context(), model)
    got = {r["line_id"]: r for r in register.to_pylist()}
    assert (
        got["u"]["category"] == "cleaning" and "UNSPSC code 76111501" in got["u"]["classification_evidence"]
    )
    assert got["h"]["category"] == "gloves_ppe"
    assert (
        "Rubber Gloves from Malaysia" in got["h"]["factors"]
        and "matched by HS code 401519" in got["h"]["factors"]
    )
    assert got["m"]["category"] == "financial_transfers"
    assert got["g"]["category"] == "gloves_ppe" and got["g"]["cpv"] == "18424300"
    assert 'names "examination gloves"' in got["g"]["classification_evidence"]
    assert got["g"]["risk_level"] in ("high", "critical")
    assert got["n"]["category"] == "medical_pharma"  # not listed for Austria: the model's reading stands
    assert got["t"]["category"] == "financial_transfers"
    assert got["x"]["category"] == "medical_pharma" and got["x"]["cpv_source"] == "predicted"


def test_a_named_good_does_not_make_a_service_a_purchase_of_goods():
    """Works and services name goods ("menuiserie bois", "football changing rooms", "mobile telephony"):
    when the text reads as a service, a listed good it names does not set the category."""

    def model(texts):
        from conftest import Guess

        return [
            Guess("45421000", "construction_works", 0.4, "model: joinery work")
            if "travaux" in t.lower()
            else Guess("33192210", "medical_pharma", 0.4, "model: examination tables")
            for t in texts
        ]

    base = {"office": "HQ", "value": 1000.0, "currency": "EUR", "value_eur": 1000.0, "origin_country": "MYS"}
    rows = [
        {"line_id": "w", "description": "Travaux de pose de gants nitrile", **base},
        {"line_id": "g", "description": "Gants nitrile d'examen", **base},
    ]
    got = {r["line_id"]: r for r in run_plan(DuckDBBackend(), _lines(rows), Context(), model).to_pylist()}
    assert got["w"]["category"] == "construction_works" and got["w"]["classification_status"] != "sure"
    assert got["g"]["category"] == "gloves_ppe" and got["g"]["classification_status"] == "sure"


def test_screen_reads_codes_and_takes_your_mapping_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from fairprocure.cli import main

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "Description,Classification scheme,Classification code,Supplier,Amount,Currency\n"
        "Item 1,UNSPSC,42132203,Medi Ltd,100,EUR\n"
        "Card payment,MCC,7349,Clean Co,200,EUR\n"
        "Item 3,ProClass,CA0100,Canteen Ltd,300,EUR\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "proclass.csv"
    mapping.write_text("scheme,code,category,source\nProClass,CA0100,catering,our ProClass table\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["screen", str(ledger), "--code-mapping", str(mapping), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    with (out / "register.csv").open(encoding="utf-8") as f:
        got = {r["description"]: r for r in csv.DictReader(f)}
    assert got["Item 1"]["category"] == "gloves_ppe"
    assert got["Card payment"]["category"] == "cleaning"
    assert (
        got["Item 3"]["category"] == "catering"
        and "our ProClass table" in got["Item 3"]["classification_evidence"]
    )
