"""Start gunicorn with the project's own config on a free loopback port.

Used by the two-process tests and by `make bench`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(env: dict[str, str], *, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with `env` added to this process's environment; return it and its URL.

    Its output is discarded, or appended to the file `log`: an unread pipe would stall a busy
    server.
    """
    port = free_port()
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=output,
        stderr=output,
    )
    if log:
        output.close()  # the child has its own copy
    return process, f"http://127.0.0.1:{port}"


def wait_until_up(process: subprocess.Popen, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn at {url} did not start (exit code {process.returncode})")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)
