from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "fairprocure.web.plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from fairprocure.web.contracts.panels import Panel, register_panel
        from fairprocure.web.plans import kpis  # noqa: F401  (registers the plans' KPIs)
        from fairprocure.web.plans.library import sync_library

        post_migrate.connect(sync_library, sender=self, dispatch_uid="plans.sync_library")
        register_panel(Panel("actions", "plans/_contract_panel.html", _contract_actions, order=20))


def _contract_actions(contract, user) -> dict:
    return {"actions": contract.actions.select_related("plan", "owner").order_by("due_date", "pk")}
