"""The contract page's findings panel: findings with their deadlines, and the escalation ladder."""

from __future__ import annotations

from fairprocure.web.contracts.panels import Panel, register_panel


def _context(contract, user) -> dict:
    from fairprocure.web.findings.views import panel_context

    return panel_context(contract, user)


register_panel(Panel("findings", "findings/_contract_panel.html", _context, order=60))
