from django.urls import path

from fairprocure.web.reports import views

urlpatterns = [
    path("annual/", views.annual, name="annual-report"),
    path("annual/<int:year>.<str:fmt>", views.annual_file, name="annual-report-file"),
]
