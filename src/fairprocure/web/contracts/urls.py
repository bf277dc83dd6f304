from django.urls import path

from fairprocure.web.contracts import views

urlpatterns = [
    path("", views.contracts, name="contracts"),
    path("<int:pk>/", views.contract, name="contract"),
]
