from django.urls import path

from fairprocure.web.audit import views

urlpatterns = [path("", views.audit, name="audit")]
