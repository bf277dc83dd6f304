from django.urls import path

from fairprocure.web.screenings import views

urlpatterns = [
    path("", views.screenings, name="screenings"),
    path("<int:pk>/", views.screening, name="screening"),
]
