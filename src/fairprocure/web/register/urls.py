from django.urls import path

from fairprocure.web.register import views

urlpatterns = [
    path("", views.register, name="register"),
    path("export.<str:fmt>", views.export, name="register-export"),
    path("exports/", views.export_request, name="register-export-request"),
    path("exports/<int:pk>/", views.export_job, name="register-export-job"),
    path("exports/<int:pk>/file", views.export_file, name="register-export-file"),
    path("lines/<int:pk>/", views.line, name="line"),
]
