from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "fairprocure.web.findings"
    verbose_name = _("Findings and remediation")

    def ready(self) -> None:
        from django.apps import apps

        from fairprocure.web.findings import kpis, panels  # noqa: F401  (KPIs, the contract page's panel)

        if apps.is_installed("fairprocure.web.questionnaires"):  # the supplier portal (issue 13)
            from fairprocure.web.findings.services import findings_for_supplier
            from fairprocure.web.questionnaires import portal

            if findings_for_supplier not in portal.FINDINGS_FOR_SUPPLIER:
                portal.FINDINGS_FOR_SUPPLIER.append(findings_for_supplier)
