from django.urls import path

from fairprocure.web.tenders import views

urlpatterns = [
    path("", views.dossiers, name="tenders"),
    path("<int:pk>/", views.dossier, name="tender"),
    path("<int:pk>/stages/<str:stage>/", views.stage, name="tender_stage"),
    path("<int:pk>/annex.<str:fmt>", views.annex, name="tender_annex"),
    path("attachments/<int:pk>/", views.attachment, name="tender_attachment"),
]
