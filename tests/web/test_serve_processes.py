"""``fairprocure serve --processes 2``: gunicorn's two workers answer, and stop with ``serve``.

A tiny workspace (one office, one user), the server as a user starts it, a page and an API answer, then
SIGTERM (what a service manager sends): ``serve`` stops gunicorn and no process of it is left.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web.live_server import Server, migrated, provision, runner_processes

pytestmark = [
    pytest.mark.live_server,
    pytest.mark.skipif(
        sys.platform == "win32" or not Path("/proc/self/fd").exists(),
        reason="gunicorn does not run on Windows; processes are inspected through Linux /proc",
    ),
]


def gunicorn_processes(home: Path) -> list[int]:
    """The live gunicorn processes (master and workers) serving ``home``."""
    found = []
    for pid in runner_processes(home):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gunicorn" in command:
            found.append(pid)
    return found


def test_serve_with_two_processes_answers_and_stops_cleanly(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    migrated(home)
    token = provision(
        home,
        "from fairprocure.web.offices.services import add_office\n"
        "from fairprocure.web.accounts.services import add_user, issue_token\n"
        "add_office('o1', 'Office 1', 'GBR', actor='test')\n"
        "add_user('boss', 'management', 'a long enough password', actor='test')\n"
        "print(issue_token('boss'))\n",
    ).strip()
    server = Server(home, "--processes", "2", "--workers", "1").start(timeout=120)
    try:
        deadline = time.monotonic() + 30
        while len(gunicorn_processes(home)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(gunicorn_processes(home)) == 3  # the master and two workers

        with urllib.request.urlopen(server.url + "/login/", timeout=30) as page:
            assert page.status == 200
            assert b'name="csrfmiddlewaretoken"' in page.read()
        asked = urllib.request.Request(
            server.url + "/api/offices", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(asked, timeout=30) as answer:
            assert [office["code"] for office in json.loads(answer.read())] == ["o1"]
    finally:
        server.process.terminate()
        code = server.process.wait(timeout=30)
    assert code == 128 + 15  # stopped by its SIGTERM handler (not killed), gunicorn stopped first
    deadline = time.monotonic() + 15
    while runner_processes(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not runner_processes(home), "a process of the stopped server lives on"
