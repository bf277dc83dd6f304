"""The supplier panel on every contract page: its suppliers' status and its supply-chain map."""

from __future__ import annotations

from fairprocure.web.contracts.panels import Panel, register_panel


def _context(contract, user) -> dict:
    from fairprocure.web.suppliers import supply_chain as sc
    from fairprocure.web.suppliers.maps import LEVEL_LABELS, flags_of, nodes_of
    from fairprocure.web.suppliers.models import SupplierName

    spellings = SupplierName.objects.filter(name__in=contract.supplier_names).select_related("supplier")
    suppliers = {s.supplier.current() for s in spellings}
    _, nodes = nodes_of(contract)
    level = sc.transparency(nodes)
    return {
        "contract_suppliers": sorted(suppliers, key=lambda s: s.name),
        "map_level": level,
        "map_level_text": LEVEL_LABELS[level],
        "map_nodes": len(nodes),
        "map_flags": len(flags_of(nodes)),
    }


register_panel(Panel("suppliers", "suppliers/_contract_panel.html", _context, order=20))
