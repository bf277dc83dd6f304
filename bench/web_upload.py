"""A large upload through the workspace: time, the server's memory and the screening process's peak.

    python bench/web_upload.py --mb 50

Starts ``fairprocure serve`` on a temporary home (SQLite), uploads a generated ledger of about
``--mb`` megabytes (CPV codes given, so the text model's cost is left out) through the API, and
samples every half second the resident memory of the server and of its screening processes until
the screening is done. Prints the figures (docs/performance.md records them with the machine).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from web.live_server import Server, provision


def ledger(path: Path, megabytes: float) -> int:
    kinds = [("90919200", "office cleaning"), ("18100000", "staff uniforms"), ("30197600", "copy paper")]
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Supplier", "Description", "CPV", "Amount", "Currency", "Date", "Supplier country"])
        while f.tell() < megabytes * 1024 * 1024:
            cpv, what = kinds[rows % 3]
            out.writerow(
                [
                    f"Supplier {rows % 997}",
                    f"{what} lot {rows}",
                    cpv,
                    100 + rows % 5000,
                    "EUR",
                    "2025-03-01",
                    "Bangladesh",
                ]
            )
            rows += 1
    return rows


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time ``pid`` has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().split(") ")[-1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


def settled(pid: int, timeout: float = 180) -> None:
    """Wait until ``pid``'s helpers (the fork server loading the library) stop using CPU for a second."""
    deadline, last = time.monotonic() + timeout, -1.0
    time.sleep(2)
    while time.monotonic() < deadline:
        used = sum(cpu_seconds(helper) for helper in children(pid))
        if used == last and used > 0:
            return
        last = used
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir()
        path = Path(folder) / "large.csv"
        rows = ledger(path, args.mb)
        size_mb = path.stat().st_size / 2**20
        token = provision(
            home,
            "from fairprocure.web.offices.services import add_office\n"
            "from fairprocure.web.accounts.services import add_user, issue_token\n"
            "add_office('big', 'Big office', 'AUT', actor='bench')\n"
            "add_user('admin', 'administrator', 'a long enough password', actor='bench')\n"
            "print(issue_token('admin'))\n",
        ).strip()
        server = Server(home, "--workers", "2").start()
        try:
            settled(server.process.pid)  # the screening processes' fork server has loaded the library
            idle = rss_mb(server.process.pid, "VmHWM")
            boundary = "bench"
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.csv"\r\n\r\n'.encode()
                + path.read_bytes()
                + f"\r\n--{boundary}--\r\n".encode()
            )
            began = time.monotonic()
            request = urllib.request.Request(
                f"{server.url}/api/offices/big/screenings",
                data=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            pk = json.loads(urllib.request.urlopen(request, timeout=600).read())["id"]
            uploaded = time.monotonic() - began
            server_peak = job_peak = 0.0
            job_cpu: dict[int, float] = {}
            server_cpu = cpu_seconds(server.process.pid)
            status = "queued"
            while status not in ("done", "failed"):
                time.sleep(0.25)
                server_peak = max(server_peak, rss_mb(server.process.pid, "VmHWM"))
                for helper in children(server.process.pid):  # the fork server, and the job it forked
                    for job in children(helper):
                        job_peak = max(job_peak, rss_mb(job, "VmHWM"))
                        job_cpu[job] = max(job_cpu.get(job, 0.0), cpu_seconds(job))
                get = urllib.request.Request(
                    f"{server.url}/api/screenings/{pk}", headers={"Authorization": f"Bearer {token}"}
                )
                status = json.loads(urllib.request.urlopen(get, timeout=60).read())["status"]
            total = time.monotonic() - began
            server_cpu = cpu_seconds(server.process.pid) - server_cpu
        finally:
            server.stop()
    print(f"input: {size_mb:.1f} MB, {rows:,} rows; status {status}")
    print(f"upload {uploaded:.1f} s; upload to done {total:.1f} s (wall)")
    print(
        f"CPU: server {server_cpu:.1f} s; screening process {sum(job_cpu.values()):.1f} s "
        f"(sampled every 0.25 s, so up to 0.25 s short); load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"peak RSS: server idle {idle:.0f} MB, peak {server_peak:.0f} MB; screening process {job_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
