from django.urls import path

from fairprocure.web.review import views

urlpatterns = [
    path("", views.queue, name="review"),
    path("decide/", views.decide, name="review-decide"),
    path("decisions/", views.decisions, name="review-decisions"),
    path("decisions.csv", views.export, name="review-export"),
    path("decisions/import/", views.import_file, name="review-import"),
    path("decisions/<int:pk>/withdraw/", views.withdraw, name="review-withdraw"),
    path("model/", views.model, name="review-model"),
    path("model/retrain/", views.retrain, name="review-retrain"),
]
