from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "fairprocure.web.questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from fairprocure.web.questionnaires import kpis  # noqa: F401  (registers the questionnaire KPIs)
