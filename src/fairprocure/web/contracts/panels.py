"""What later modules attach to a contract page: each registers a panel (a template and its context).

    from fairprocure.web.contracts.panels import Panel, register_panel
    register_panel(Panel("tenders", "tenders/_contract_panel.html", lambda contract, user: {...}, order=40))

The contract page renders every panel in order, each template with ``contract`` and its own context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    id: str
    template: str
    context: Callable[[object, object], dict]  # (contract, user) → template context
    order: int = 100


PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    PANELS[panel.id] = panel
    return panel


def panels_for(contract, user) -> list[tuple[Panel, dict]]:
    return [(p, p.context(contract, user)) for p in sorted(PANELS.values(), key=lambda p: (p.order, p.id))]
