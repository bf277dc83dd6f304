"""Accounts a person can look after: unlock, change and reset a password; the pages' security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.conf import settings
from django.core import mail

from fairprocure.cli import main
from fairprocure.web.audit.models import AuditEvent
from web.workspace_helpers import PASSWORD, office, register_table, screen_into, user

pytestmark = pytest.mark.django_db
WEB = Path(__file__).resolve().parents[2] / "src/fairprocure/web"
NEW = "a brand new passphrase"


def log_in(client, name: str, password: str):
    return client.post("/login/", {"username": name, "password": password})


def lock_out(client, name: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, name, "wrong password")
    assert log_in(client, name, PASSWORD).status_code == 429


def test_a_locked_out_user_sees_what_to_do_and_an_administrator_unlocks_the_name(client, monkeypatch):
    from fairprocure.cli import workspace

    monkeypatch.setattr(workspace, "_django", lambda: None)  # the test database is set up already
    user("olga", "management")
    lock_out(client, "olga")
    page = log_in(client, "olga", PASSWORD).content.decode()
    assert "Other users can still log in" in page and "Forgot your password?" in page
    result = CliRunner().invoke(main, ["users", "unlock", "olga"], catch_exceptions=False)
    assert (
        result.exit_code == 0 and "olga unlocked (failed logins cleared from 1 address(es))" in result.output
    )
    assert log_in(client, "olga", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="user.unlocked", target="olga").exists()


def test_an_administrator_sets_a_password_from_the_command_line(client, monkeypatch):
    from fairprocure.cli import workspace

    monkeypatch.setattr(workspace, "_django", lambda: None)
    user("olga", "management")
    lock_out(client, "olga")
    result = CliRunner().invoke(main, ["users", "password", "olga"], env={"FAIRPROCURE_PASSWORD": NEW})
    assert result.exit_code == 0, result.output
    assert log_in(client, "olga", NEW).status_code == 302  # set, and unlocked
    short = CliRunner().invoke(main, ["users", "password", "olga"], env={"FAIRPROCURE_PASSWORD": "short"})
    assert short.exit_code != 0 and "password refused" in short.output


def test_a_user_changes_their_password(client):
    client.force_login(user("olga", "management"))
    assert client.get("/account/password/").status_code == 200
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response["Location"] == "/account/password/done/"
    client.logout()
    assert log_in(client, "olga", PASSWORD).status_code == 200  # the old one is refused
    assert log_in(client, "olga", NEW).status_code == 302
    assert AuditEvent.objects.filter(action="password.changed", actor="olga").exists()


def test_a_forgotten_password_is_reset_through_a_mailed_link(client):
    from fairprocure.web.accounts.services import add_user

    add_user("olga", "management", PASSWORD, email="olga@example.org", actor="test")
    page = client.get("/login/").content.decode()
    assert 'href="/account/password/reset/"' in page
    for address in ("olga@example.org", "nobody@example.org"):  # the page never says which is known
        response = client.post("/account/password/reset/", {"email": address})
        assert response.status_code == 302 and response["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olga@example.org"]
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Set a new password" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/account/password/reset/done/"
    assert log_in(client, "olga", NEW).status_code == 302
    assert AuditEvent.objects.filter(action="password.reset", target="olga").exists()
    assert b"not valid any more" in client.get(link, follow=True).content  # a link works once


def test_mail_goes_through_smtp_when_the_environment_configures_it(monkeypatch):
    import importlib

    import fairprocure.web.settings as workspace_settings

    monkeypatch.setenv("FAIRPROCURE_EMAIL_HOST", "mail.example.org")
    monkeypatch.setenv("FAIRPROCURE_EMAIL_PORT", "2525")
    configured = importlib.reload(workspace_settings)
    try:
        assert configured.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (configured.EMAIL_HOST, configured.EMAIL_PORT, configured.EMAIL_USE_TLS) == (
            "mail.example.org",
            2525,
            True,
        )
    finally:
        monkeypatch.delenv("FAIRPROCURE_EMAIL_HOST")
        assert importlib.reload(workspace_settings).EMAIL_BACKEND.endswith("console.EmailBackend")


def test_every_page_has_a_content_security_policy_without_inline_script_or_style(client, monkeypatch):
    screen_into(office("A"), register_table(6), monkeypatch)
    client.force_login(user("root", "administrator"))
    line = client.get("/api/lines").json()[0]["id"]
    for url in ("/dashboard/", "/register/", f"/register/lines/{line}/", "/screenings/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{url}: inline script"
        assert not re.search(r"\sstyle=", html), f"{url}: inline style attribute"
        assert not re.search(r"<style\b", html), f"{url}: style element"
        assert not re.search(r"\son[a-z]+=", html), f"{url}: inline event handler"


def test_every_fill_of_the_dashboard_scales_has_its_css_class():
    from fairprocure.web.dashboard.summary import COUNT_SCALE, EMPTY, RISK_SCALE, ink

    css = (WEB / "static/fairprocure/workspace.css").read_text()
    for fill in [*RISK_SCALE, *COUNT_SCALE, EMPTY]:
        rule = f".fill-{fill[1:]} {{ background: {fill}; color: {ink(fill)}; }}"
        assert rule in css, f"add to workspace.css: {rule}"
