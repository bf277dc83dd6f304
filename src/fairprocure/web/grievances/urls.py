from django.urls import path

from fairprocure.web.grievances import views

urlpatterns = [
    path("", views.cases, name="grievances"),
    path("<int:pk>/", views.case, name="grievance"),
    path("directory/", views.directory, name="referral_directory"),
    path("referrals/", views.referrals, name="referrals"),
]
public = [
    path("", views.report, name="report"),
    path("follow/", views.follow, name="report_follow"),
]
