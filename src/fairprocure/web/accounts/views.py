"""Password change (logged in) and reset by mail (logged out): Django's views, recorded in the audit log."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.urls import reverse_lazy

from fairprocure.web.audit.log import record


class PasswordChange(auth.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request.user, "password.changed", target=self.request.user.username)
        return response


class PasswordReset(auth.PasswordResetView):
    """Sends a link to the address on record, if any; the page never says whether an address is known."""

    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirm(auth.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(form.user.username, "password.reset", target=form.user.username)
        return response
