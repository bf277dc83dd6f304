"""Evidence as translatable templates: every factor's evidence is a Message whose English is what the
register shows, whose JSON is what the register stores, and which renders in another language."""

import json
import re

import pytest

from fairprocure import messages
from fairprocure.messages import COUNTRY, Language, Message, Number, Term, render, render_json, template
from fairprocure.reference.indicators import Indicator
from fairprocure.score.evidence import EvidenceItem, SupplierEvidence, supplier_key
from fairprocure.score.factors import (
    category,
    country_context,
    country_indicator,
    goods_list,
    missing_data,
    supplier_evidence,
)
from fairprocure.score.model import Context


@pytest.fixture(scope="module")
def context():
    ctx = Context()
    ctx.indicators = [Indicator("GSI", "Walk Free", {"BGD": (60.0, "2023"), "ARM": (40.0, "")})]
    ctx.suppliers = SupplierEvidence(
        {
            supplier_key("acme"): [EvidenceItem(-5, "SMETA audit passed", "audit", "2024-05-01")],
            supplier_key("risky"): [
                EvidenceItem(15, "grievance", "hotline"),
                EvidenceItem(15, "raid", "police"),
            ],
        }
    )
    return ctx


def every_factor(context) -> list:
    """Factors from every module, on keys that reach each of their sentences."""
    out = []
    for cat in ("cleaning", "unclassified", "electronics_ict"):
        out += category.compute({"category": cat}, context)
    for cpv, cat, country, role in [
        ("18110000", "garments_textiles", "TKM", "origin"),
        ("", "garments_textiles", "TKM", "supplier"),
        ("", "electronics_ict", "CHN", "origin"),
        ("32250000", "electronics_ict", "MYS", "supplier"),
    ]:
        out += goods_list.compute(
            {"cpv": cpv, "category": cat, "goods_country": country, "goods_country_role": role}, context
        )
    for country, role, intensity in [
        ("BGD", "origin", "high"),
        ("ARM", "delivery", "low"),
        ("XXX", "supplier", ""),
    ]:
        out += country_context.compute(
            {"context_country": country, "context_role": role, "labour_intensity": intensity}, context
        )
    out += country_indicator.compute({"context_country": "BGD"}, context)
    out += country_indicator.compute({"context_country": "ARM"}, context)
    for kind, origin, supplier, delivery, certainty in [
        ("goods", "0", "1", "0", "uncertain"),
        ("goods", "0", "0", "0", "source"),
        ("services", "0", "0", "0", "confident"),
    ]:
        out += missing_data.compute(
            {
                "kind": kind,
                "origin_known": origin,
                "supplier_country_known": supplier,
                "delivery_known": delivery,
                "class_certainty": certainty,
            },
            context,
        )
    out += supplier_evidence.compute({"supplier_key": supplier_key("acme")}, context)
    out += supplier_evidence.compute({"supplier_key": supplier_key("risky")}, context)
    return out


def test_every_factor_carries_a_template_whose_english_is_its_evidence(context):
    factors = every_factor(context)
    assert {f.factor for f in factors} >= {
        "category_labour_intensity",
        "category_workforce",
        "category_business_model",
        "category_on_premises",
        "category_unknown",
        "goods_list",
        "country_tip_tier",
        "country_governance",
        "country_child_labour_efforts",
        "indicator:GSI",
        "missing_origin",
        "missing_delivery",
        "uncertain_category",
        "supplier_evidence",
    }
    for f in factors:
        stored = json.loads(json.dumps(f.as_dict()))  # what the register keeps
        assert stored["t"] in messages.TEMPLATES, f.factor
        assert render_json(stored, messages.ENGLISH) == stored["evidence"] == f.evidence, f.factor
        assert type(stored["evidence"]) is str


def test_the_english_reads_as_before(context):
    tier = country_context.compute(
        {"context_country": "BGD", "context_role": "origin", "labour_intensity": "medium"}, context
    )[0]
    assert re.fullmatch(
        r"Bangladesh \(country of production\): Tier \S+( Watch List)? in the \d{4} TIP Report"
        r" x 0\.7 for medium labour intensity",
        tier.evidence,
    )
    cotton = goods_list.compute(
        {"cpv": "18110000", "category": "", "goods_country": "TKM", "goods_country_role": "origin"}, context
    )[0]
    assert cotton.evidence.startswith("Cotton from Turkmenistan is listed for forced labour and child labour")
    assert cotton.as_dict()["p"]["what"] == {"t": "goods.fl+cl"}


FAKE = Language(
    gettext=lambda text: "<" + text + ">",
    pgettext=lambda context, text: f"{context}:{text}",
    country=lambda iso3: "country " + iso3,
    category=lambda cat: "category " + cat,
    field=lambda name: "field " + name,
    decimal=",",
)


def test_a_message_renders_in_another_language_parameter_by_parameter(context):
    tier = country_context.compute(
        {"context_country": "BGD", "context_role": "origin", "labour_intensity": "medium"}, context
    )[0]
    text = render_json(tier.as_dict(), FAKE)
    assert text.startswith("<country BGD (country role:country of production): TIP tier:Tier")
    assert "x 0,7 for labour intensity:medium labour intensity>" in text  # the number in the reader's format
    candidate = Message("class.candidate", {"category": "cleaning", "probability": 40})
    nested = Message("class.needs_review", {"candidates": [candidate], "reason": Message("class.unusable")})
    assert render(nested.key, nested.as_json()["p"], FAKE) == (
        "<needs review: <category cleaning 40%>; <no usable description>>"
    )


def test_a_template_declared_twice_must_say_the_same():
    template("test.same", "%(n)s lines", n=Number())
    template("test.same", "%(n)s lines", n=Number())
    with pytest.raises(ValueError, match="declared twice"):
        template("test.same", "%(n)s rows", n=Number())


def test_the_catalogue_lists_every_template_term_and_source():
    entries = messages.catalogue()
    ids = {(e.context, e.msgid) for e in entries}
    assert (None, "%(country)s (%(role)s): %(tier)s in the %(year)s TIP Report") in ids
    assert ("ILAB good", "Cotton") in ids and ("TIP tier", "Tier 2 Watch List") in ids
    assert ("country role", "country of production") in ids
    assert ("source", goods_list.SOURCE_LIST) in ids
    for t in messages.TEMPLATES.values():  # every placeholder has a kind or is plain text; none is unused
        for name in t.kinds:
            assert f"%({name})s" in t.text or name in country_context._KINDS or name in goods_list._KINDS, (
                t.key,
                name,
            )


def test_terms_store_short_values_and_render_their_english():
    role = Term("test role", {"o": "country of production"})
    said = template("test.role", "%(country)s (%(role)s)", country=COUNTRY, role=role)(
        country="BGD", role="o"
    )
    assert said == "Bangladesh (country of production)" and said.as_json()["p"] == {
        "country": "BGD",
        "role": "o",
    }


def test_data_issues_and_classification_evidence_are_messages_too():
    import datetime as dt

    from fairprocure.classify.keywords import KeywordClassifier
    from fairprocure.reference.currency import eur_rate

    _, note = eur_rate("MDL", dt.date(2030, 5, 1))
    assert isinstance(note, Message) and note.key == "currency.world_bank" and "2023" in note
    for prediction in KeywordClassifier().predict(["office cleaning services", "", "zzz qqq"]):
        assert isinstance(prediction.evidence, Message) and prediction.evidence.key.startswith("class.")
