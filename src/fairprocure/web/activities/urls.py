from django.urls import path

from fairprocure.web.activities import views

urlpatterns = [
    path("", views.activities, name="activities"),
    path("<int:pk>/", views.activity, name="activity"),
]
