from django.urls import path

from fairprocure.web.findings import portal

urlpatterns = [
    path("<int:pk>/evidence/", portal.evidence, name="portal_finding_evidence"),
]
