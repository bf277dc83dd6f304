from django.urls import path

from fairprocure.web.clauses import documents, views

urlpatterns = [
    path("", views.library, name="clauses"),
    path("new/", views.new_clause, name="clause_new"),
    path("documents/<str:document>.<str:fmt>", documents.download, name="clause_document"),
    path("<slug:key>/", views.clause, name="clause"),
]
