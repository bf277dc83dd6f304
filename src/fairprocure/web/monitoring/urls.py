from django.urls import path

from fairprocure.web.monitoring import views

urlpatterns = [
    path("", views.plans, name="monitoring"),
    path("contracts/<int:contract_pk>/plan/", views.start_plan, name="monitoring_start"),
    path("contracts/<int:contract_pk>/interviews/", views.new_interview, name="monitoring_new_interview"),
    path("plans/<int:pk>/", views.plan, name="monitoring_plan"),
    path("checks/<int:pk>/", views.check, name="monitoring_check"),
    path("evidence/<int:pk>/", views.evidence, name="monitoring_evidence"),
    path("interviews/<int:pk>/", views.interview, name="monitoring_interview"),
]
