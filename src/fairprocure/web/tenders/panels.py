"""The contract page's tender panel: dossiers for the contract and the clause versions it was signed with."""

from __future__ import annotations

from fairprocure.web.accounts.permissions import Action, allowed
from fairprocure.web.contracts.panels import Panel, register_panel


def _context(contract, user) -> dict:
    from fairprocure.web.tenders.models import Dossier

    dossiers = list(
        Dossier.objects.filter(contract=contract).prefetch_related("chosen__clause", "chosen__version")
    )
    signed = [d for d in dossiers if d.signed]
    return {
        "dossiers": dossiers,
        "signed": signed[0] if signed else None,
        "can_start": allowed(user, Action.ACT, contract.office),
    }


register_panel(Panel("tenders", "tenders/_contract_panel.html", _context, order=40))
