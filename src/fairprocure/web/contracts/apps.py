from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "fairprocure.web.contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from fairprocure.web.contracts import kpis  # noqa: F401  (registers the contract KPIs)
        from fairprocure.web.contracts.services import refresh_after_decision, roll_up_after_store
        from fairprocure.web.register.decisions import risk_decided
        from fairprocure.web.register.store import lines_stored

        lines_stored.connect(roll_up_after_store, dispatch_uid="contracts.roll_up")
        risk_decided.connect(refresh_after_decision, dispatch_uid="contracts.refresh")
