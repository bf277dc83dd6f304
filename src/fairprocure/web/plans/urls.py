from django.urls import path

from fairprocure.web.plans import views

urlpatterns = [
    path("", views.plans, name="plans"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/starter/", views.starter, name="plan-starter"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("mine/", views.my_actions, name="my-actions"),
    path("library/", views.library, name="plan-library"),
    path("library/new/", views.library_entry, name="plan-library-new"),
    path("library/<slug:key>/", views.library_entry, name="plan-library-entry"),
]
