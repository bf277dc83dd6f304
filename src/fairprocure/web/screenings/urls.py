from django.urls import path

from fairprocure.web.screenings import views

urlpatterns = [
    path("", views.screenings, name="screenings"),
    path("<int:pk>/", views.screening, name="screening"),
    path("<int:pk>/cancel/", views.cancel, name="screening-cancel"),
    path("<int:pk>/preview/", views.preview, name="screening-preview"),
    path("in-progress/", views.in_progress, name="screenings-in-progress"),
    path("<int:pk>/replace/<int:old>/", views.replace, name="screening-replace"),
    path("<int:pk>/period/", views.period, name="screening-period"),
]
