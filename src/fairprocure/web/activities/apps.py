from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "fairprocure.web.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from fairprocure.web.activities import kpis  # noqa: F401  (registers the activities' KPIs)
        from fairprocure.web.contracts.panels import Panel, register_panel

        register_panel(Panel("activities", "activities/_contract_panel.html", _contract_activities, order=30))


def _contract_activities(contract, user) -> dict:
    return {"activities": contract.activities.order_by("-date", "-pk")}
