from django.urls import path

from fairprocure.web.questionnaires import portal

urlpatterns = [
    path("", portal.home, name="portal"),
    path("code/", portal.accept_code, name="portal_code"),
    path("invitations/<str:token>/", portal.accept_link, name="portal_invitation"),
    path("responses/<int:pk>/", portal.answer, name="portal_response"),
    path("evidence/", portal.upload, name="portal_upload"),
    path("evidence/<int:pk>/", portal.own_evidence, name="portal_evidence"),
]
