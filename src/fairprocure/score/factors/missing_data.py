"""Missing or uncertain data raises risk instead of lowering it.

Goods with no known country of production, services with no known place of performance, and lines
whose category came from free text with low confidence each add points, so that a register with
gaps does not look safer than one without.
"""

from __future__ import annotations

from fairprocure.messages import Number, sources, template
from fairprocure.score.model import Context, Factor

NAME = "missing"
KEY = ("kind", "origin_known", "supplier_country_known", "delivery_known", "class_certainty")
SOURCE = "fairprocure policy: unknown data is a risk, not a zero"
sources(SOURCE)
ORIGIN_PROXY = template(
    "missing.origin_proxy", "Country of production unknown; the supplier's country stands in"
)
ORIGIN = template("missing.origin", "Country of production and supplier's country both unknown")
DELIVERY = template("missing.delivery", "Place of performance unknown")
UNCERTAIN = template(
    "missing.uncertain_category_review",
    "Category read from free text needs review (probability below the policy's sure_threshold, %(threshold)s)",
    threshold=Number(),
)


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    w = context.policy.missing
    out = []
    if key["kind"] in ("goods", "unknown") and key["origin_known"] != "1":
        if key["supplier_country_known"] == "1":
            out.append(Factor("missing_origin", w.origin_proxy, ORIGIN_PROXY(), SOURCE))
        else:
            out.append(Factor("missing_origin", w.unknown_origin, ORIGIN(), SOURCE))
    if key["kind"] == "services" and key["delivery_known"] != "1":
        out.append(Factor("missing_delivery", w.unknown_delivery, DELIVERY(), SOURCE))
    if key["class_certainty"] == "uncertain":
        evidence = UNCERTAIN(threshold=context.policy.classification.sure_threshold)
        out.append(Factor("uncertain_category", w.low_confidence, evidence, SOURCE))
    return [f for f in out if f.points]
