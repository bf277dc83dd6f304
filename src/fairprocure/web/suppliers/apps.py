from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "fairprocure.web.suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from fairprocure.web.register.store import lines_stored
        from fairprocure.web.suppliers import kpis, panels  # noqa: F401  (register KPIs and the contract panel)
        from fairprocure.web.suppliers.registry import file_after_store

        lines_stored.connect(file_after_store, dispatch_uid="suppliers.file_names")
