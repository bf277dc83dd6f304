from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "fairprocure.web.kpis"
    verbose_name = _("Key performance indicators")
