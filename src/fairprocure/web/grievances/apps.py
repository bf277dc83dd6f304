from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "fairprocure.web.grievances"
    verbose_name = _("Grievances")

    def ready(self) -> None:
        from fairprocure.web.grievances import kpis  # noqa: F401  (registers the grievance KPIs)
