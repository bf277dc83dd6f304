from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fairprocure.web.api"
    verbose_name = "API"
