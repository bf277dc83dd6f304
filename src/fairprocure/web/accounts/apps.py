from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fairprocure.web.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from fairprocure.web.accounts import signals  # noqa: F401  (audit permission changes)
