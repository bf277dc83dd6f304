from django.urls import path

from fairprocure.web.questionnaires import views

urlpatterns = [
    path("", views.questionnaires, name="questionnaires"),
    path("invite/<int:supplier_pk>/", views.invite, name="questionnaire_invite"),
    path("invitations/<int:pk>/remind/", views.remind, name="questionnaire_remind"),
    path("responses/<int:pk>/", views.response, name="questionnaire_response"),
    path("templates/<slug:slug>/new/", views.new_version, name="questionnaire_version"),
]
