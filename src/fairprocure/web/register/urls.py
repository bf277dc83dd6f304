from django.urls import path

from fairprocure.web.register import views

urlpatterns = [
    path("", views.register, name="register"),
    path("export.<str:fmt>", views.export, name="register-export"),
    path("lines/<int:pk>/", views.line, name="line"),
]
