"""URLs: pages per concept, the API under /api/ (schema at /api/openapi.json), admin, login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from fairprocure.web.api.endpoints import api
from fairprocure.web.grievances.urls import public as grievance_public

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard"), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fairprocure.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("fairprocure.web.dashboard.urls")),
    path("register/", include("fairprocure.web.register.urls")),
    path("screenings/", include("fairprocure.web.screenings.urls")),
    path("audit/", include("fairprocure.web.audit.urls")),
    path("contracts/", include("fairprocure.web.contracts.urls")),
    path("kpis/", include("fairprocure.web.kpis.urls")),
    path("clauses/", include("fairprocure.web.clauses.urls")),
    path("tenders/", include("fairprocure.web.tenders.urls")),
    path("monitoring/", include("fairprocure.web.monitoring.urls")),
    path("findings/", include("fairprocure.web.findings.urls")),
    path("grievances/", include("fairprocure.web.grievances.urls")),
    path("report/", include(grievance_public)),  # public: no account
    path("suppliers/", include("fairprocure.web.suppliers.urls")),
    path("questionnaires/", include("fairprocure.web.questionnaires.urls")),
    path("portal/findings/", include("fairprocure.web.findings.portal_urls")),
    path("portal/", include("fairprocure.web.questionnaires.portal_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
