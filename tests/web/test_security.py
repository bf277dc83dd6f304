"""Security basics the settings promise: login throttling, and an audit log the database keeps append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from fairprocure.web.audit.models import AuditEvent
from web.workspace_helpers import PASSWORD, office, user

pytestmark = pytest.mark.django_db


def log_in(client, name: str, password: str):
    return client.post("/login/", {"username": name, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failed_logins_lock_the_account_out_until_the_cool_off_ends(client):
    user("olga", "management")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "olga", "wrong password").status_code == 200  # the form again, with an error
    assert log_in(client, "olga", "wrong password").status_code == 429  # the fifth failure locks
    refused = log_in(client, "olga", PASSWORD)  # the right password, too late
    assert refused.status_code == 429 and not logged_in(client)
    assert log_in(client, "olga", PASSWORD).status_code == 429  # still locked

    # 16 minutes later (the attempts moved back in time), the cool-off of 15 minutes is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert log_in(client, "olga", PASSWORD).status_code == 302 and logged_in(client)


def test_the_lockout_holds_for_the_user_name_and_address_together(client):
    """Five wrong passwords for one name (even a made-up one) lock that name from that address only:
    everyone else behind the same office NAT still logs in."""
    user("olga", "management")
    user("anna", "management")
    for name in ("olga", "nobody-at-all"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, name, "wrong password")
    assert log_in(client, "olga", PASSWORD).status_code == 429 and not logged_in(client)
    assert log_in(client, "anna", PASSWORD).status_code == 302 and logged_in(client)
    client.logout()
    other_address = log_in_from(client, "olga", PASSWORD, "10.9.8.7")
    assert other_address.status_code == 302  # olga from another address is not locked either


def log_in_from(client, name: str, password: str, address: str):
    return client.post("/login/", {"username": name, "password": password}, REMOTE_ADDR=address)


def test_the_database_itself_refuses_to_change_or_delete_audit_events():
    office("A")  # writes an audit event
    event = AuditEvent.objects.latest("pk")
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET actor = 'someone else' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor == event.actor


def test_new_audit_events_can_still_be_written():
    before = AuditEvent.objects.count()
    office("A")
    office("B")
    assert AuditEvent.objects.count() == before + 2
