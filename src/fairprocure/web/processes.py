"""Several web worker processes: ``fairprocure serve --processes N`` runs gunicorn beside the job runner.

The ``serve`` process keeps what must exist once (the screening job threads and their processes' fork
server, :mod:`fairprocure.web.screenings.jobs`) and starts gunicorn as its child: a master that loads the
workspace once (``--preload``) and forks ``N`` workers of ``threads`` request threads each (``gthread``),
so pages are rendered on every core while no worker runs screenings. Stopping ``serve`` (Ctrl+C,
SIGTERM) stops gunicorn. gunicorn does not run on Windows; there ``serve`` uses one waitress process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def command(host: str, port: int, processes: int, threads: int) -> list[str]:
    """The gunicorn command line (bound to ``host:port``; IPv6 hosts in brackets)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "fairprocure.web.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(processes),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--preload",
        "--timeout",
        "120",  # a worker silent this long is restarted (a request thread may take longer: exports)
        "--graceful-timeout",
        "10",
        # Keep a browser's connection open across its reader's pauses: with gunicorn's 2 s a request
        # sent as the server closed the idle connection failed (2 of 2,205 in bench/web_load.py).
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]


def serve_processes(host: str, port: int, processes: int, threads: int, allowed_hosts: list[str]) -> None:
    """Run gunicorn until it exits or this process is told to stop; then stop it and return its status."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "fairprocure.web.settings",
        "FAIRPROCURE_ALLOWED_HOSTS": ",".join(allowed_hosts),
    }
    child = subprocess.Popen(command(host, port, processes, threads), env=env)

    def stop(signum, _frame) -> None:
        if child.poll() is None:
            child.terminate()  # gunicorn's graceful stop: workers finish their requests
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        code = child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        code = child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
    if code:
        raise SystemExit(code)
