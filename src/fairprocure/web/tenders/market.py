"""Market research from the data: the risk picture of a category in the countries involved.

Reads the library's reference data only (taxonomy, DOL ILAB list, TIP tiers, WGI); who supplies the
category today comes from the register (``services.current_suppliers``).
"""

from __future__ import annotations

from dataclasses import dataclass

from fairprocure.classify.taxonomy import load_taxonomy
from fairprocure.reference import ilab, tip, wgi
from fairprocure.reference.countries import to_iso3


@dataclass(frozen=True)
class CountryPicture:
    country: str  # ISO alpha-3
    name: str
    listed_goods: tuple[dict, ...]  # DOL listings of goods in this category: {good, forced, child}
    tip_tier: str | None
    tip_year: int | None
    governance: float | None  # WGI mean percentile rank, 0 = weakest
    governance_year: int | None
    ilab_advancement: str | None


@dataclass(frozen=True)
class RiskPicture:
    category: str
    label: str
    kind: str
    labour_intensity: str
    vulnerable_workforce: bool
    subcontracting: bool
    on_premises: bool
    countries: tuple[CountryPicture, ...]
    sources: tuple[str, ...]

    @property
    def workforce_flags(self) -> list[str]:
        """The category's workforce and business-model facts that raise risk (PPN indicators)."""
        flags = []
        if self.labour_intensity == "high":
            flags.append("labour_intensive")
        if self.vulnerable_workforce:
            flags.append("vulnerable_workforce")
        if self.subcontracting:
            flags.append("subcontracting")
        if self.on_premises:
            flags.append("on_premises")
        return flags


def risk_picture(category: str, countries) -> RiskPicture:
    """The reference data's picture for ``category`` in ``countries`` (any spelling or code)."""
    taxonomy = load_taxonomy()
    cat = taxonomy.categories.get(category) or taxonomy.categories["unclassified"]
    listings, tiers, governance = ilab.listings_by_country(), tip.shipped_tiers(), wgi.governance_by_country()
    findings = ilab.findings_by_country()
    out = []
    seen = set()
    for raw in countries:
        iso3 = to_iso3(raw)
        if iso3 is None or iso3 in seen:
            continue
        seen.add(iso3)
        import pycountry

        found = pycountry.countries.get(alpha_3=iso3)
        goods = tuple(
            {
                "good": item.good,
                "forced": item.forced_labour or item.forced_child_labour,
                "child": item.child_labour,
            }
            for item in listings.get(iso3, ())
            if item.category == cat.id
        )
        tier, gov, finding = tiers.get(iso3), governance.get(iso3), findings.get(iso3)
        out.append(
            CountryPicture(
                country=iso3,
                name=found.name if found else iso3,
                listed_goods=goods,
                tip_tier=tier.tier if tier else None,
                tip_year=tier.year if tier else None,
                governance=round(gov.percentile, 1) if gov else None,
                governance_year=gov.year if gov else None,
                ilab_advancement=finding.advancement_level if finding else None,
            )
        )
    return RiskPicture(
        category=cat.id,
        label=cat.label,
        kind=cat.kind,
        labour_intensity=cat.labour_intensity,
        vulnerable_workforce=cat.vulnerable_workforce,
        subcontracting=cat.subcontracting,
        on_premises=cat.on_premises,
        countries=tuple(out),
        sources=(ilab.SOURCE_LIST, tip.SOURCE, wgi.SOURCE, "fairprocure taxonomy (PPN indicators)"),
    )
