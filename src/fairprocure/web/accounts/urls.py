from django.contrib.auth import views as auth
from django.urls import path

from fairprocure.web.accounts import views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
