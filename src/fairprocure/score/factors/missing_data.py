"""Missing or uncertain data raises risk instead of lowering it.

Goods with no known country of production, services with no known place of performance, and lines
whose category came from free text with low confidence each add points, so that a register with
gaps does not look safer than one without.
"""

from __future__ import annotations

from fairprocure.score.model import Context, Factor

NAME = "missing"
KEY = ("kind", "origin_known", "supplier_country_known", "delivery_known", "class_certainty")
SOURCE = "fairprocure policy: unknown data is a risk, not a zero"


def active(context: Context) -> bool:
    return True


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    w = context.policy.missing
    out = []
    if key["kind"] in ("goods", "unknown") and key["origin_known"] != "1":
        if key["supplier_country_known"] == "1":
            out.append(
                Factor(
                    "missing_origin",
                    w.origin_proxy,
                    "Country of production unknown; the supplier's country stands in",
                    SOURCE,
                )
            )
        else:
            out.append(
                Factor(
                    "missing_origin",
                    w.unknown_origin,
                    "Country of production and supplier's country both unknown",
                    SOURCE,
                )
            )
    if key["kind"] == "services" and key["delivery_known"] != "1":
        out.append(Factor("missing_delivery", w.unknown_delivery, "Place of performance unknown", SOURCE))
    if key["class_certainty"] == "uncertain":
        out.append(
            Factor(
                "uncertain_category",
                w.low_confidence,
                "Category read from free text needs review (probability below the policy's "
                f"sure_threshold, {context.policy.classification.sure_threshold:g})",
                SOURCE,
            )
        )
    return [f for f in out if f.points]
