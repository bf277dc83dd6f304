"""A workspace server for the due-diligence browser tests: its own home (SQLite file), the Programme
Office in Dushanbe, its people, and a ledger with a security-guarding and a cleaning contract."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FAIRPROCURE = str(Path(sys.executable).with_name("fairprocure"))
PASSWORD = "a long enough password"
LEDGER = (
    "Contract ID,Supplier,Description,Amount,Currency,Date,CPV\n"
    "SEC-2026-01,Shield Guarding LLC,Security guarding services for the Programme Office premises,"
    "96000,EUR,2026-01-10,79713000\n"
    "CLN-2026-02,Toza Service LLC,Office cleaning services,42000,EUR,2026-01-12,90919200\n"
)
PEOPLE = {
    "olga": ("focal_point", "tj-dushanbe"),
    "rustam": ("procurement_officer", "tj-dushanbe"),
    "admin": ("administrator", None),
    "audrey": ("auditor", None),
}


def cli(env: dict, *args: str) -> str:
    done = subprocess.run([FAIRPROCURE, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def start(home: Path, secret: str):
    """Set up the home and start ``fairprocure serve``; returns (url, env, process, log path)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"FAIRPROCURE_HOME": str(home), "FAIRPROCURE_PASSWORD": PASSWORD, "FAIRPROCURE_SECRET_KEY": secret}
    cli(env, "offices", "add", "tj-dushanbe", "--name", "Programme Office in Dushanbe", "--country", "TJK")
    for name, (role, office) in PEOPLE.items():
        cli(env, "users", "add", name, "--role", role, *(["--office", office] if office else []))
    ledger = home / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    cli(env, "import", str(ledger), "--office", "tj-dushanbe")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = home / "server.log"
    process = subprocess.Popen(
        [FAIRPROCURE, "serve", "--port", str(port)], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return url, env, process, log


def person(browser, url: str, name: str, **context):
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | context))
    page = context.new_page()
    page.goto(url + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def contract_url(page, url: str, contract_id: str) -> str:
    page.goto(url + f"/contracts/?q={contract_id}")
    page.locator("a", has_text=contract_id).first.click()
    page.wait_for_url("**/contracts/*/")
    return page.url
