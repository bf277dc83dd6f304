from django.urls import path

from fairprocure.web.dashboard import views

urlpatterns = [path("", views.dashboard, name="dashboard")]
