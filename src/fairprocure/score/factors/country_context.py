"""Context of the country where the goods are produced or the service is performed.

Three public signals, each shown with its year: the TIP Report tier (trafficking), the World Bank
governance indicators (rule of law, corruption, …) and ILAB's assessment of efforts against child
labour. Goods use the country of production (the supplier's country stands in when unknown);
services use the country of performance.
"""

from __future__ import annotations

from fairprocure.messages import COUNTRY, Number, Term, sources, template
from fairprocure.reference import ilab, tip, wgi
from fairprocure.score.model import Context, Factor

NAME = "country"
KEY = ("context_country", "context_role", "labour_intensity")
ROLES = {
    "origin": "country of production",
    "delivery": "country of performance",
    "supplier": "supplier's country",
}
sources("US TIP Report", tip.SOURCE, wgi.SOURCE, ilab.SOURCE_FINDINGS)


def _advancement_levels() -> list[str]:
    return sorted({f.advancement_level for f in ilab.findings_by_country().values()})


# Each text comes plain and scaled by the category's labour intensity ("x 0.7 for medium labour intensity").
_KINDS = {
    "country": COUNTRY,
    "role": Term("country role", ROLES),
    "tier": Term("TIP tier", tip.TIERS),
    "percentile": Number(".0f"),
    "level": Term("ILAB advancement level", _advancement_levels),
    "exposure": Number("g"),
    "intensity": Term("labour intensity", ("low", "medium", "high")),
}
_SCALED = " x %(exposure)s for %(intensity)s labour intensity"
_TEXTS = {
    "no_tier": "%(country)s (%(role)s): no TIP Report tier placement",
    "tier": "%(country)s (%(role)s): %(tier)s in the %(year)s TIP Report",
    "governance": "%(country)s (%(role)s): governance percentile %(percentile)s/100 "
    "(mean of %(indicators)s WGI indicators, %(year)s)",
    "ilab": "%(country)s (%(role)s): %(level)s",
}
TEMPLATES = {
    (name, scaled): template(
        f"country.{name}" + ("_x" if scaled else ""), text + (_SCALED if scaled else ""), **_KINDS
    )
    for name, text in _TEXTS.items()
    for scaled in (False, True)
}


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    iso3, role = key["context_country"], key["context_role"]
    if not iso3:
        return []
    w = context.policy.country
    intensity = key["labour_intensity"] or "medium"
    exposure = getattr(w, f"exposure_{intensity}")
    scaled = exposure != 1
    where = {"country": iso3, "role": role}
    if scaled:
        where |= {"exposure": exposure, "intensity": intensity}

    def say(name: str, **params):
        return TEMPLATES[(name, scaled)](**where, **params)

    out = []
    tier = context.tiers.get(iso3)
    if tier is None:
        out.append(
            Factor("country_tip_tier", round(w.tip_unknown * exposure, 2), say("no_tier"), "US TIP Report")
        )
    else:
        points = getattr(w, "tip_" + tier.tier.lower().replace(" ", "_"))
        evidence = say("tier", tier=tier.tier, year=str(tier.year))
        out.append(Factor("country_tip_tier", round(points * exposure, 2), evidence, tier.source))
    gov = context.governance.get(iso3)
    if gov is not None:
        points = round(w.governance_max * (100 - gov.percentile) / 100 * exposure, 2)
        evidence = say(
            "governance", percentile=gov.percentile, indicators=str(gov.indicators), year=str(gov.year)
        )
        out.append(Factor("country_governance", points, evidence, wgi.SOURCE))
    found = context.findings.get(iso3)
    if found is not None:
        level = found.advancement_level.lower()
        points = 0.0
        if level.startswith(("no advancement", "minimal advancement")):
            points = w.ilab_no_advancement
        elif level.startswith("moderate advancement"):
            points = w.ilab_moderate_advancement
        if points:
            evidence = say("ilab", level=found.advancement_level)
            out.append(
                Factor(
                    "country_child_labour_efforts",
                    round(points * exposure, 2),
                    evidence,
                    ilab.SOURCE_FINDINGS,
                )
            )
    return out  # zero-point factors stay: they show the country was checked
