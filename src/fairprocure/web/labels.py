"""Words the library writes in English or as identifiers, translated for the web pages.

The library keys categories, risk levels, severity bands and factor families by stable ids; the
workspace shows them through these mappings so they follow the user's language. An id not listed
(a category added to the taxonomy later) is shown as the library spells it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEVEL_LABELS = {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}

SEVERITIES = ["none_known", "exploitation", "child_labour", "forced_labour"]  # mildest first
SEVERITY_LABELS = {
    "none_known": _("none known"),
    "exploitation": _("exploitation"),
    "child_labour": _("child labour"),
    "forced_labour": _("forced labour"),
}

CATEGORY_LABELS = {
    "garments_textiles": _("Garments and textiles"),
    "footwear": _("Footwear, leather and luggage"),
    "electronics_ict": _("Electronics and ICT hardware (incl. mobile phones)"),
    "solar_batteries": _("Solar panels and batteries"),
    "gloves_ppe": _("Medical gloves and personal protective equipment"),
    "medical_pharma": _("Medical equipment and pharmaceuticals"),
    "coffee": _("Coffee"),
    "tea": _("Tea"),
    "cocoa": _("Cocoa and chocolate"),
    "sugar": _("Sugar"),
    "fruit_vegetables": _("Fruit, vegetables, cereals and nuts"),
    "fish_seafood": _("Fish and seafood"),
    "palm_oil": _("Palm oil, vegetable oils and fats"),
    "food_other": _("Other food, beverages and agricultural products"),
    "timber_furniture": _("Timber, wood and furniture"),
    "construction_materials": _("Bricks, cement, stone and other construction materials"),
    "minerals_metals": _("Minerals, metals and metal products"),
    "toys_promotional": _("Toys, sports goods and promotional items"),
    "vehicles_machinery": _("Vehicles, machinery and equipment"),
    "chemicals_fuels": _("Chemicals, plastics and fuels"),
    "paper_printing": _("Paper, printed matter and office supplies"),
    "cleaning_products": _("Cleaning, hygiene and personal care products"),
    "household_goods": _("Household goods, kitchenware and tableware"),
    "musical_instruments": _("Musical instruments"),
    "utilities": _("Energy and water supply (utilities)"),
    "cleaning": _("Cleaning services"),
    "security": _("Security guarding services"),
    "catering": _("Catering and food services"),
    "hotels_conferences": _("Hotels, accommodation and conference venues"),
    "construction_works": _("Construction works"),
    "facility_management": _("Facility management and building maintenance"),
    "waste": _("Waste and sanitation services"),
    "transport_logistics": _("Transport, logistics, couriers and drivers"),
    "staffing_recruitment": _("Temporary staffing and recruitment agencies"),
    "agriculture_landscaping": _("Agriculture, forestry, landscaping and grounds maintenance"),
    "laundry": _("Laundry and textile services"),
    "health_social_care": _("Health and social care services"),
    "vehicle_repair": _("Vehicle repair, servicing and car washes"),
    "maintenance_repair": _("Repair, maintenance and installation of equipment"),
    "personal_services": _("Personal services (hairdressing, beauty, massage, funeral)"),
    "culture_recreation": _("Recreational, cultural and sporting services"),
    "education_training": _("Education and training services"),
    "it_services": _("IT services and telecommunications"),
    "software": _("Software and information systems"),
    "consulting": _("Consulting, research, engineering and professional services"),
    "legal": _("Legal services"),
    "public_administration": _("Public administration and defence services"),
    "financial_services": _("Financial, insurance and real estate services"),
    "financial_transfers": _("Rent, taxes, grants, benefits, fees and other financial transfers"),
    "unclassified": _("Unclassified (could not be determined)"),
}

FACTOR_LABELS = {
    "category": _("Category"),
    "category_business_model": _("Category: business model"),
    "category_labour_intensity": _("Category: labour intensity"),
    "category_on_premises": _("Category: work on our premises"),
    "category_unknown": _("Category unknown"),
    "category_transfer": _("Category: financial transfer"),
    "category_workforce": _("Category: vulnerable workforce"),
    "category_candidate": _("Category candidate (needs review)"),
    "country": _("Country"),
    "country_child_labour_efforts": _("Country: efforts against child labour"),
    "country_governance": _("Country: governance"),
    "country_tip_tier": _("Country: trafficking in persons tier"),
    "goods_list": _("Listed goods (forced or child labour)"),
    "missing": _("Missing data"),
    "missing_origin": _("Missing data: country of origin"),
    "missing_delivery": _("Missing data: place of performance"),
    "uncertain_category": _("Uncertain category"),
    "supplier": _("Supplier"),
    "supplier_evidence": _("Supplier evidence"),
    "origin": _("Country of origin"),
}
INDICATOR_PREFIX = "indicator:"

CLASSIFICATION_STATUS_LABELS = {
    "source": _("code given in the data"),
    "decision": _("decided by a person"),
    "sure": _("sure (read from the description)"),
    "needs_review": _("needs review"),
    "unclassified": _("could not be classified"),
}


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def severity_key(severity: str) -> str:
    """The data spells "none known" several ways (``none_known``, ``none-known``, empty)."""
    return "none_known" if severity in ("", "none-known", "none known") else severity


def severity_label(severity: str) -> str:
    key = severity_key(severity)
    return str(SEVERITY_LABELS.get(key, key))


def category_label(category: str, fallback: str = "") -> str:
    return str(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else fallback or category or "—"


def classification_status_label(status: str) -> str:
    return str(CLASSIFICATION_STATUS_LABELS.get(status, status))


def factor_label(factor: str) -> str:
    if factor.startswith(INDICATOR_PREFIX):
        return str(_("Country indicator: %(name)s") % {"name": factor.removeprefix(INDICATOR_PREFIX)})
    return str(FACTOR_LABELS.get(factor, factor))
