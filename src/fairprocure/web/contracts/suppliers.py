"""Supplier names on contracts, actions and activities, read against the supplier registry.

Actions and activities keep suppliers as the names a person typed; the registry (``suppliers`` app)
knows which spellings are one supplier. These look-ups never file a name in the registry.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q

from fairprocure.entities.names import normalise_name
from fairprocure.web.contracts.rollup import normalise_supplier


@lru_cache(maxsize=65536)
def normalised(name: str) -> str:
    """The contracts' normalised form of a supplier name (cached: the same names recur)."""
    return normalise_supplier(name)


def _clean(names) -> set[str]:
    return {n.strip() for n in names if n and n.strip()}


def _filed(names: set[str]):
    from fairprocure.web.suppliers.models import SupplierName

    keys = {normalise_name(n) for n in names} - {""}
    return SupplierName.objects.filter(Q(name__in=names) | Q(key__in=keys))


def registry_spellings(names) -> set[str]:
    """The normalised spellings of ``names`` and of every other spelling the registry files under the same
    supplier: an action naming "Toza Shahr" covers a contract whose lines say "Clean Team Services" once a
    person has merged the two in the registry."""
    from fairprocure.web.suppliers.models import SupplierName

    names = _clean(names)
    found = {normalised(n) for n in names}
    if names:
        suppliers = _filed(names).values("supplier")
        for spelling in SupplierName.objects.filter(supplier__in=suppliers).values_list("name", flat=True):
            found.add(normalised(spelling))
    return found - {""}


def in_registry(names) -> list[tuple[str, object]]:
    """Each name with the registry supplier it is filed under (merges followed), or None."""
    names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not names:
        return []
    by_name, by_key = {}, {}
    for filed in _filed(set(names)).select_related("supplier"):
        by_name[filed.name] = filed.supplier
        by_key.setdefault(filed.key, filed.supplier)
    out = []
    for name in names:
        supplier = by_name.get(name) or by_key.get(normalise_name(name))
        out.append((name, supplier.current() if supplier is not None else None))
    return out
