from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "fairprocure.web.tenders"
    verbose_name = _("Tenders")

    def ready(self) -> None:
        from fairprocure.web.tenders import panels  # noqa: F401  (the contract page's tender panel)
