"""Start the task worker `make worker` runs, in a process group of its own (to kill it whole)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from serve import WORKER

from .gunicorn_process import ROOT


def start(env: dict[str, str], log: Path, name: str) -> subprocess.Popen:
    """Start one worker process (concurrency 1) named `name`, its output appended to `log`."""
    with open(log, "ab") as output:
        return subprocess.Popen(
            [*WORKER, "--concurrency", "1", "--hostname", f"{name}@%h"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=output,
            start_new_session=True,
        )


def wait_for(log: Path, text: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until the worker's log holds `text`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"worker log has no {text!r}:\n{log.read_text(errors='replace')}")


def kill(process: subprocess.Popen) -> None:
    """Kill the worker and its pool at once, as a lost machine would: nothing is acknowledged."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill(process)
