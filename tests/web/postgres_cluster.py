"""Start a private PostgreSQL cluster from the Debian packages for a test run (stopped at exit)."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster() -> str:
    """initdb + pg_ctl start on a free port; returns a postgresql:// URL. Runs as ``postgres`` under root."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("FAIRPROCURE_TEST_POSTGRES=start: no initdb; apt-get install -y postgresql")
    bindir = os.path.dirname(found[-1])
    root = tempfile.mkdtemp(prefix="fairprocure-pg-")
    data, port = os.path.join(root, "data"), _free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*prefix, f"{bindir}/initdb", "-D", data, "-U", "fairprocure", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            f"{bindir}/pg_ctl",
            "-D",
            data,
            "-w",
            "-l",
            os.path.join(root, "log"),
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    atexit.register(
        lambda: subprocess.run(
            [*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
    )
    # The cluster's files (data directory, WAL, server log) for tests that read them raw.
    os.environ["FAIRPROCURE_TEST_POSTGRES_ROOT"] = root
    return f"postgresql://fairprocure@127.0.0.1:{port}/postgres"
