from django.urls import path

from fairprocure.web.grievances import views

urlpatterns = [
    path("", views.cases, name="grievances"),
    path("<int:pk>/", views.case, name="grievance"),
    path("directory/", views.directory, name="referral_directory"),
    path("referrals/", views.referrals, name="referrals"),
    path("interviews/<int:pk>/refer/", views.refer_interview, name="refer_interview"),
]
public = [
    path("", views.report, name="report"),
    path("follow/", views.follow, name="report_follow"),
]
