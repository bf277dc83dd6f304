"""Context of the country where the goods are produced or the service is performed.

Three public signals, each shown with its year: the TIP Report tier (trafficking), the World Bank
governance indicators (rule of law, corruption, …) and ILAB's assessment of efforts against child
labour. Goods use the country of production (the supplier's country stands in when unknown);
services use the country of performance.
"""

from __future__ import annotations

from fairprocure.reference import ilab, wgi
from fairprocure.score.model import Context, Factor, country_name

NAME = "country"
KEY = ("context_country", "context_role", "labour_intensity")
ROLES = {
    "origin": "country of production",
    "delivery": "country of performance",
    "supplier": "supplier's country",
}


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    iso3, role = key["context_country"], key["context_role"]
    if not iso3:
        return []
    w = context.policy.country
    name = f"{country_name(iso3)} ({ROLES.get(role, role)})"
    intensity = key["labour_intensity"] or "medium"
    exposure = getattr(w, f"exposure_{intensity}")
    scaled = f" x {exposure:g} for {intensity} labour intensity" if exposure != 1 else ""
    out = []
    tier = context.tiers.get(iso3)
    if tier is None:
        out.append(
            Factor(
                "country_tip_tier",
                round(w.tip_unknown * exposure, 2),
                f"{name}: no TIP Report tier placement{scaled}",
                "US TIP Report",
            )
        )
    else:
        points = getattr(w, "tip_" + tier.tier.lower().replace(" ", "_"))
        out.append(
            Factor(
                "country_tip_tier",
                round(points * exposure, 2),
                f"{name}: {tier.tier} in the {tier.year} TIP Report{scaled}",
                tier.source,
            )
        )
    gov = context.governance.get(iso3)
    if gov is not None:
        points = round(w.governance_max * (100 - gov.percentile) / 100 * exposure, 2)
        out.append(
            Factor(
                "country_governance",
                points,
                f"{name}: governance percentile {gov.percentile:.0f}/100 (mean of {gov.indicators} WGI indicators, {gov.year}){scaled}",
                wgi.SOURCE,
            )
        )
    found = context.findings.get(iso3)
    if found is not None:
        level = found.advancement_level.lower()
        points = 0.0
        if level.startswith(("no advancement", "minimal advancement")):
            points = w.ilab_no_advancement
        elif level.startswith("moderate advancement"):
            points = w.ilab_moderate_advancement
        if points:
            out.append(
                Factor(
                    "country_child_labour_efforts",
                    round(points * exposure, 2),
                    f"{name}: {found.advancement_level}{scaled}",
                    ilab.SOURCE_FINDINGS,
                )
            )
    return out  # zero-point factors stay: they show the country was checked
