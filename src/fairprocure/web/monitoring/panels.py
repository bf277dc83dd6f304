"""The contract page's monitoring panel: the plan and when its next check is due, or a form to start one."""

from __future__ import annotations

from fairprocure.duediligence import checklists
from fairprocure.web.accounts.permissions import Action, allowed
from fairprocure.web.contracts.panels import Panel, register_panel


def _context(contract, user) -> dict:
    from fairprocure.web.monitoring import services
    from fairprocure.web.monitoring.models import Plan

    plan = Plan.objects.filter(contract=contract).first()
    return {
        "plan": plan,
        "state": services.state(plan) if plan else "",
        "can_act": allowed(user, Action.ACT, contract.office),
        "service": services.service_of(contract),
        "level": services.level_of(contract),
        "services": [(key, c.en, c.ru) for key, c in checklists.checklists().items()],
        "last_cost": contract.cost_checks.first(),
    }


register_panel(Panel("monitoring", "monitoring/_contract_panel.html", _context, order=50))
