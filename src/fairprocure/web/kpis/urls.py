from django.urls import path

from fairprocure.web.kpis import views

urlpatterns = [path("", views.kpis, name="kpis")]
