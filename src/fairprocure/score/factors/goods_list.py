"""Match with the US DOL List of Goods Produced by Child Labor or Forced Labor.

A line matches a listing when the good's country of production is the listed country and the good is
named — by the description, in any shipped language ("Disposable nitrile examination gloves",
"Перчатки нитриловые", see :mod:`fairprocure.classify.goods`), or by a code whose prefix names it (CPV
18424300 disposable gloves, HS 4015) — for full points, whatever category the line fell into. Only when
nothing names a listed good does the category stand in, for goods whose category is specific to them
(coffee, cocoa, garments, ...), at ``category_match_share`` of the points. When the country of
production is unknown, the supplier's country stands in at ``supplier_country_share``. Forced labour
weighs more than child labour; downstream ("derived") goods count. Several matching goods do not add
up: the gravest one counts (a named good before one a broad code prefix only covers) and the others
are named in the evidence.
"""

from __future__ import annotations

from itertools import combinations

from fairprocure.classify.goods import decode
from fairprocure.messages import COUNTRY, MESSAGE, Term, sources, template
from fairprocure.reference.countries import to_iso3
from fairprocure.reference.ilab import SOURCE_LIST, Listing, listings_by_country
from fairprocure.score.model import Context, Factor

NAME = "goods_list"
KEY = ("cpv", "category", "goods", "goods_country", "goods_country_role")
sources(SOURCE_LIST)


def _goods() -> list[str]:
    return sorted({listing.good for listed in listings_by_country().values() for listing in listed})


GOOD = Term("ILAB good", _goods)
_KINDS = {"good": GOOD, "country": COUNTRY, "what": MESSAGE, "also": MESSAGE}
LISTED = {
    "origin": template(
        "goods.listed",
        "%(good)s from %(country)s is listed for %(what)s (matched by %(how)s)%(also)s",
        how=MESSAGE,
        **_KINDS,
    ),
    "supplier": template(
        "goods.listed_supplier",
        "%(good)s from %(country)s is listed for %(what)s "
        "(matched by %(how)s; supplier in %(country)s, country of production unknown)%(also)s",
        how=MESSAGE,
        **_KINDS,
    ),
}
BY_DESCRIPTION = template("goods.by_description", 'description "%(words)s"')
BY_CODE = template("goods.by_code", "%(scheme)s code %(code)s")
BY_CPV = template("goods.by_cpv", "CPV %(cpv)s")
BY_CATEGORY = template("goods.by_category", "category")
BY_BOTH = template("goods.by_both", "%(first)s and %(second)s", first=MESSAGE, second=MESSAGE)
ALSO = template("goods.also", "; also listed there: %(goods)s", goods=Term("ILAB good", _goods, many=True))
_ABUSES = {"fl": "forced labour", "cl": "child labour", "fcl": "forced child labour"}
WHAT = {
    "+".join(combo): template("goods." + "+".join(combo), " and ".join(_ABUSES[k] for k in combo))
    for n in (1, 2, 3)
    for combo in combinations(_ABUSES, n)
}
DERIVED = template(
    "goods.derived", "an input made with forced or child labour in %(country)s", country=COUNTRY
)


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


def _what(listing: Listing):
    flags = {"fl": listing.forced_labour, "cl": listing.child_labour, "fcl": listing.forced_child_labour}
    kinds = [k for k, flag in flags.items() if flag]
    if kinds:
        return WHAT["+".join(kinds)]()
    derived_from = listing.derived_country or ""
    return DERIVED(country=to_iso3(derived_from) or derived_from)


def _severity(listing: Listing) -> int:
    if listing.forced_labour or listing.forced_child_labour:
        return 3
    if listing.child_labour:
        return 2
    return 1


def _how(listing: Listing, named: dict[str, str], cpv: str):
    """How the good was named: the description's words, a code, the CPV code, or several of them."""
    ways = []
    words = named.get(listing.good)
    if words and words.startswith("@"):
        scheme, _, code = words[1:].partition(" ")
        ways.append(BY_CODE(scheme=scheme, code=code))
    elif words:
        ways.append(BY_DESCRIPTION(words=words))
    if cpv and any(cpv.startswith(p) for p in listing.cpv_prefixes):
        ways.append(BY_CPV(cpv=cpv))
    return BY_BOTH(first=ways[0], second=ways[1]) if len(ways) == 2 else ways[0]


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
        (_points(listing, context) * w.category_match_share, listing, BY_CATEGORY())
        for listing in listed
        if listing.category and listing.category == category
    ]
    if not matches:
        return []
    matches.sort(key=lambda m: (-m[0], m[1].good not in named, m[1].good))  # named goods first
    points, best, how = matches[0]
    share = w.supplier_country_share if role == "supplier" else 1.0
    others = sorted({m[1].good for m in matches[1:]} - {best.good})
    evidence = LISTED["supplier" if role == "supplier" else "origin"](
        good=best.good,
        country=best.country,
        what=_what(best),
        how=how,
        also=ALSO(goods=others) if others else None,
    )
    return [Factor("goods_list", round(points * share, 2), evidence, SOURCE_LIST, severity=_severity(best))]
