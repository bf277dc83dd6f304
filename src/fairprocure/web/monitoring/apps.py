from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fairprocure.web.monitoring"
    verbose_name = _("Contract monitoring")

    def ready(self) -> None:
        from fairprocure.web.monitoring import kpis, panels  # noqa: F401  (KPIs, the contract page's panel)
