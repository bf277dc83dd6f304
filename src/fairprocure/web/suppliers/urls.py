from django.urls import path

from fairprocure.web.suppliers import views

urlpatterns = [
    path("", views.suppliers, name="suppliers"),
    path("<int:pk>/", views.supplier, name="supplier"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("maps/<int:contract_pk>/", views.supply_map, name="supply_map"),
]
