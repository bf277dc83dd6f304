from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClausesConfig(AppConfig):
    name = "fairprocure.web.clauses"
    verbose_name = _("Clause library")

    def ready(self) -> None:
        from fairprocure.web.clauses.library import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="clauses.sync")
