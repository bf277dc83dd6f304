"""Supplier accounts reach the supplier portal and nothing else: every other page answers 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from fairprocure.web.accounts.permissions import is_supplier

# /report/ is the public grievance channel (no account): open to anyone, signed in or not.
PORTAL_PATHS = ("/portal/", "/api/portal/", "/logout/", "/login/", "/i18n/", "/static/", "/report/")


class PortalOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        supplier = user is not None and user.is_authenticated and is_supplier(user)
        if supplier and not request.path.startswith(PORTAL_PATHS):
            if request.path == "/":  # where signing in leads
                from django.shortcuts import redirect

                return redirect("portal")
            raise PermissionDenied("supplier accounts use the supplier portal only")
        return self.get_response(request)
