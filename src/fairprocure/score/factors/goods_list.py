"""Match with the US DOL List of Goods Produced by Child Labor or Forced Labor.

A line matches a listing when the good's country of production is the listed country and the good is
named — by the description, in any shipped language ("Disposable nitrile examination gloves",
"Перчатки нитриловые", see :mod:`fairprocure.classify.goods`), or by a code whose prefix names it (CPV
18424300 disposable gloves) — for full points, whatever category the line fell into. Only when nothing
names a listed good does the category stand in, for goods whose category is specific to them
(coffee, cocoa, garments, ...), at ``category_match_share`` of the points. When the country of
production is unknown, the supplier's country stands in at ``supplier_country_share``. Forced labour
weighs more than child labour; downstream ("derived") goods count. Several matching goods do not add
up: the gravest one counts and the others are named in the evidence.
"""

from __future__ import annotations

from fairprocure.classify.goods import decode
from fairprocure.reference.ilab import SOURCE_LIST, Listing
from fairprocure.score.model import Context, Factor

NAME = "goods_list"
KEY = ("cpv", "category", "goods", "goods_country", "goods_country_role")


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


def _how(listing: Listing, named: dict[str, str], cpv: str) -> str:
    ways = []
    words = named.get(listing.good)
    if words and words.startswith("@"):
        ways.append(f"{words[1:]} code")
    elif words:
        ways.append(f'description "{words}"')
    if cpv and any(cpv.startswith(p) for p in listing.cpv_prefixes):
        ways.append(f"CPV {cpv}")
    return " and ".join(ways)


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
    named = {m.good: m.words for m in decode(key.get("goods"))}
    # The description or a code names the good itself; only without either does the category stand in.
    matches = [
        (_points(listing, context), listing, _how(listing, named, cpv))
        for listing in listed
        if listing.good in named or (cpv and any(cpv.startswith(p) for p in listing.cpv_prefixes))
    ] or [
        (_points(listing, context) * w.category_match_share, listing, "category")
        for listing in listed
        if listing.category and listing.category == category
    ]
    if not matches:
        return []
    matches.sort(key=lambda m: (-m[0], m[1].good not in named, m[1].good))  # named goods first
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
