"""What every screening benchmark does first: the synthetic ledger, a warm text model, the machine line."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child_figures(command: list[str]) -> dict:
    """Run a benchmark's child process; its figures are the JSON on the last line it prints. A child that
    fails ends the benchmark with its own error output, not only its exit status."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed (exit status {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(lines: int) -> Path:
    """Generate ``bench/out/ledger_<lines>.csv`` if missing, build or load the text model, print the machine."""
    path = HERE / "out" / f"ledger_{lines}.csv"
    if not path.exists():
        generator = [sys.executable, str(HERE / "generate.py"), "--lines", str(lines), "--out", str(path)]
        subprocess.run(generator, check=True)
    warm = "from fairprocure.classify.model import load_classifier; load_classifier()"
    subprocess.run([sys.executable, "-c", warm], check=True)
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    print(f"input: {path} ({path.stat().st_size / 1e6:,.0f} MB, {lines:,} lines)")
    return path
