"""API authentication: a personal token as ``Authorization: Bearer TOKEN``, or the browser session."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from fairprocure.web.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]
