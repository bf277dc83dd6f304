"""Screenshots of the demo organisation for the docs: ``python tests/web/screenshots.py``.

Starts ``fairprocure serve --demo`` in a throwaway home (the bundled UK and Paraguay OCDS samples and
the HM Treasury ledger), waits for the three screenings, then drives Debian's chromium headless with
Playwright and writes ``docs/screenshots/dashboard.png``, ``dashboard-ru.png`` and ``line.png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo password for screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_screenings(page, url: str, minutes: int = 20) -> None:
    """Until the demo's three screenings are finished (the API, with the browser's session)."""
    for _ in range(minutes * 30):
        jobs = page.request.get(url + "/api/screenings").json()
        if len(jobs) >= 3 and all(job["status"] in ("done", "failed") for job in jobs):
            print(", ".join(f"{job['file_name']}: {job['status']}" for job in jobs))
            return
        time.sleep(2)
    raise TimeoutError("the demo screenings did not finish")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs/screenshots")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="fairprocure-shots-"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("FAIRPROCURE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "FAIRPROCURE_HOME": str(home),
        "FAIRPROCURE_DEMO_PASSWORD": PASSWORD,
        "FAIRPROCURE_SECRET_KEY": "shots",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    fairprocure = shutil.which("fairprocure") or str(Path(sys.executable).parent / "fairprocure")
    server = subprocess.Popen([fairprocure, "serve", "--demo", "--port", str(port)], env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/login/")
            page.fill("#id_username", "demo-admin")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            wait_for_screenings(page, url)
            args.out.mkdir(parents=True, exist_ok=True)
            page.goto(url + "/dashboard/")
            page.screenshot(path=str(args.out / "dashboard.png"), full_page=True)
            page.locator("#top tbody a").first.click()
            expect(page.locator("#factors")).to_be_visible()
            page.screenshot(path=str(args.out / "line.png"), full_page=True)
            page.goto(url + "/dashboard/")
            page.select_option("#language", "ru")
            page.wait_for_load_state()
            page.screenshot(path=str(args.out / "dashboard-ru.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
