from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "fairprocure.web.evidence"
    label = "evidence"
    verbose_name = "Evidence texts"
