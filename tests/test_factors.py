"""Each factor on its own, on keys that explain themselves (one factor, one module, one test block)."""

import pytest

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
    return Context()


def total(factors):
    return round(sum(f.points for f in factors), 2)


# category ---------------------------------------------------------------------------------------


def test_cleaning_scores_every_category_attribute(context):
    factors = category.compute({"category": "cleaning"}, context)
    assert [f.factor for f in factors] == [
        "category_labour_intensity",
        "category_workforce",
        "category_business_model",
        "category_on_premises",
    ]
    w = context.policy.category
    assert (
        total(factors) == w.labour_intensity_high + w.vulnerable_workforce + w.subcontracting + w.on_premises
    )


def test_legal_services_carry_no_inherent_category_risk(context):
    assert category.compute({"category": "legal"}, context) == []


def test_an_unknown_category_is_risky_not_zero(context):
    factors = category.compute({"category": "unclassified"}, context)
    assert [f.factor for f in factors] == ["category_unknown"]
    assert factors[0].points == context.policy.category.unclassified > 0


# goods list -------------------------------------------------------------------------------------


def key(cpv="", category="", country="", role="origin"):
    return {"cpv": cpv, "category": category, "goods_country": country, "goods_country_role": role}


def test_forced_labour_outweighs_child_labour(context):
    w = context.policy.goods_list
    cotton_tkm = goods_list.compute(
        key("18110000", "garments_textiles", "TKM"), context
    )  # forced + child labour
    coffee_ken = goods_list.compute(key("15861000", "coffee", "KEN"), context)  # child labour only
    assert cotton_tkm[0].points == w.forced_labour + w.child_labour
    assert coffee_ken[0].points == w.child_labour
    assert "Turkmenistan" in cotton_tkm[0].evidence and "forced labour" in cotton_tkm[0].evidence
    assert cotton_tkm[0].severity > coffee_ken[0].severity


def test_a_category_match_counts_less_than_a_code_match(context):
    w = context.policy.goods_list
    by_code = goods_list.compute(key("32250000", "electronics_ict", "MYS"), context)
    by_category = goods_list.compute(key("", "electronics_ict", "MYS"), context)
    assert by_category[0].points == pytest.approx(by_code[0].points * w.category_match_share)
    assert "matched by category" in by_category[0].evidence


def test_the_supplier_country_stands_in_for_unknown_origin_at_a_discount(context):
    w = context.policy.goods_list
    origin = goods_list.compute(key("32250000", "electronics_ict", "MYS", "origin"), context)
    proxy = goods_list.compute(key("32250000", "electronics_ict", "MYS", "supplier"), context)
    assert proxy[0].points == pytest.approx(origin[0].points * w.supplier_country_share)
    assert "country of production unknown" in proxy[0].evidence


def test_derived_goods_count(context):
    # Lithium-ion batteries from China are listed as made with cobalt mined with child labour in the DRC.
    factors = goods_list.compute(key("31440000", "solar_batteries", "CHN"), context)
    assert factors and factors[0].points == context.policy.goods_list.derived
    assert "Congo" in factors[0].evidence


def test_no_listing_no_factor(context):
    assert goods_list.compute(key("15861000", "coffee", "AUT"), context) == []
    assert goods_list.compute(key("15861000", "coffee", ""), context) == []


# country context --------------------------------------------------------------------------------


def test_country_context_cites_each_source_with_its_year(context):
    factors = country_context.compute(
        {"context_country": "TKM", "context_role": "origin", "labour_intensity": "high"}, context
    )
    names = {f.factor: f for f in factors}
    assert "2015 TIP Report" in names["country_tip_tier"].evidence
    assert names["country_governance"].points > 5  # Turkmenistan ranks near the bottom of the WGI


def test_country_points_scale_with_the_category_exposure(context):
    def points(intensity):
        return total(
            country_context.compute(
                {"context_country": "UKR", "context_role": "delivery", "labour_intensity": intensity}, context
            )
        )

    assert points("low") < points("medium") < points("high")


def test_a_tier_1_country_is_shown_with_zero_points(context):
    factors = country_context.compute(
        {"context_country": "AUT", "context_role": "delivery", "labour_intensity": "high"}, context
    )
    tier = next(f for f in factors if f.factor == "country_tip_tier")
    assert tier.points == 0 and "Tier 1" in tier.evidence


def test_newer_tiers_from_a_user_file_replace_the_shipped_ones(tmp_path):
    tiers = tmp_path / "tip_2024.csv"
    tiers.write_text("country,year,tier\nAustria,2024,Tier 2\nKyrgyz Republic,2024,2WL\n")
    ctx = Context.build(tip_tiers=tiers)
    assert ctx.tiers["AUT"].tier == "Tier 2" and ctx.tiers["AUT"].year == 2024
    assert ctx.tiers["KGZ"].tier == "Tier 2 Watch List"


def test_a_bad_tier_file_names_the_row_and_column(tmp_path):
    tiers = tmp_path / "tiers.csv"
    tiers.write_text("country,year,tier\nAustria,2024,Tier 9\n")
    with pytest.raises(ValueError, match=r"tiers.csv, row 2, column 'tier'"):
        Context.build(tip_tiers=tiers)


# missing data -----------------------------------------------------------------------------------


def missing(kind="goods", origin="0", supplier="0", delivery="0", certainty="source"):
    return {
        "kind": kind,
        "origin_known": origin,
        "supplier_country_known": supplier,
        "delivery_known": delivery,
        "class_certainty": certainty,
    }


def test_unknown_origin_adds_risk_and_a_proxy_adds_less(context):
    w = context.policy.missing
    assert total(missing_data.compute(missing(), context)) == w.unknown_origin
    assert total(missing_data.compute(missing(supplier="1"), context)) == w.origin_proxy
    assert missing_data.compute(missing(origin="1"), context) == []


def test_services_need_a_place_of_performance(context):
    factors = missing_data.compute(missing(kind="services"), context)
    assert [f.factor for f in factors] == ["missing_delivery"]


def test_an_uncertain_class_is_treated_conservatively(context):
    factors = missing_data.compute(missing(origin="1", certainty="uncertain"), context)
    assert [f.factor for f in factors] == ["uncertain_category"]


# supplier evidence and user indicators ----------------------------------------------------------


def test_supplier_evidence_moves_risk_both_ways_within_limits():
    ctx = Context(
        suppliers=SupplierEvidence(
            {
                supplier_key("ACME Ltd."): [EvidenceItem(-10, "SMETA audit passed", "audit 2024")],
                supplier_key("Risky LLC"): [
                    EvidenceItem(15, "worker grievance: passports retained", "hotline"),
                    EvidenceItem(15, "no answer to questionnaire", "procurement"),
                ],
            }
        )
    )
    assert supplier_evidence.active(ctx)
    good = supplier_evidence.compute({"supplier_key": supplier_key("acme ltd")}, ctx)
    bad = supplier_evidence.compute({"supplier_key": supplier_key("RISKY LLC")}, ctx)
    assert good[0].points == -10
    assert bad[0].points == ctx.policy.supplier.max_points and "limited" in bad[0].evidence


def test_user_indicators_add_weighted_points():
    ctx = Context(indicators=[Indicator("gsi_2023", "user file", {"TKM": (80.0, "2023")})])
    factors = country_indicator.compute({"context_country": "TKM"}, ctx)
    assert factors[0].points == ctx.policy.indicators.weight * 0.8
    assert country_indicator.compute({"context_country": "AUT"}, ctx) == []
