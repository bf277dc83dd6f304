"""Match with the US DOL List of Goods Produced by Child Labor or Forced Labor.

A line matches a listing when the good's country of production is the listed country and its CPV
code starts with a prefix naming the good (full points) or, when no listed good's prefix matches the
code, its category is the good's category (``category_match_share`` of the points). When the country of production is unknown, the
supplier's country stands in at ``supplier_country_share``. Forced labour weighs more than child labour;
downstream ("derived") goods count. Several matching goods do not add up: the gravest one counts and
the others are named in the evidence.
"""

from __future__ import annotations

from fairprocure.reference.ilab import SOURCE_LIST, Listing
from fairprocure.score.model import Context, Factor

NAME = "goods_list"
KEY = ("cpv", "category", "goods_country", "goods_country_role")


def active(context: Context) -> bool:
    return True


def _points(listing: Listing, context: Context) -> float:
    w = context.policy.goods_list
    points = 0.0
    if listing.forced_labour:
        points += w.forced_labour
    if listing.child_labour:
        points += w.child_labour
    if listing.forced_child_labour:
        points += w.forced_child_labour
    if listing.derived and not (listing.forced_labour or listing.child_labour):
        points += w.derived
    return points


def _what(listing: Listing) -> str:
    kinds = [
        k
        for k, flag in (("forced labour", listing.forced_labour), ("child labour", listing.child_labour))
        if flag
    ]
    if listing.forced_child_labour:
        kinds.append("forced child labour")
    if listing.derived and not kinds:
        kinds.append(f"an input made with forced or child labour in {listing.derived_country}")
    return " and ".join(kinds)


def _severity(listing: Listing) -> int:
    if listing.forced_labour or listing.forced_child_labour:
        return 3
    if listing.child_labour:
        return 2
    return 1


def compute(key: dict[str, str], context: Context) -> list[Factor]:
    country, role, cpv, category = (
        key["goods_country"],
        key["goods_country_role"],
        key["cpv"],
        key["category"],
    )
    if not country:
        return []
    w = context.policy.goods_list
    listed = context.listings.get(country, ())
    # A code match names the good itself; only without one does the category stand in.
    matches = [
        (_points(listing, context), listing, f"CPV {cpv}")
        for listing in listed
        if cpv and any(cpv.startswith(p) for p in listing.cpv_prefixes)
    ] or [
        (_points(listing, context) * w.category_match_share, listing, "category")
        for listing in listed
        if listing.category == category
    ]
    if not matches:
        return []
    matches.sort(key=lambda m: (-m[0], m[1].good))
    points, best, how = matches[0]
    share = 1.0
    where = f"produced in {best.country_name}"
    if role == "supplier":
        share = w.supplier_country_share
        where = f"supplier in {best.country_name}, country of production unknown"
    others = sorted({m[1].good for m in matches[1:]} - {best.good})
    also = f"; also listed there: {', '.join(others)}" if others else ""
    evidence = (
        f"{best.good} from {best.country_name} is listed for {_what(best)} (matched by {how}; {where}){also}"
    )
    return [Factor("goods_list", round(points * share, 2), evidence, SOURCE_LIST, severity=_severity(best))]
