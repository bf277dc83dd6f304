from django.urls import path

from fairprocure.web.findings import views

urlpatterns = [
    path("", views.findings, name="findings"),
    path("<int:pk>/", views.finding, name="finding"),
    path("contracts/<int:contract_pk>/new/", views.new, name="finding_new"),
    path("contracts/<int:contract_pk>/escalate/", views.escalate, name="escalate"),
    path("evidence/<int:pk>/", views.evidence, name="finding_evidence"),
]
