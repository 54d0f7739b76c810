"""Where a worker's CPU goes under load: py-spy samples of the gunicorn workers, by layer.

`make bench` runs each load scenario once more with py-spy attached (the measured runs go
without it) and reports the share of the workers' CPU samples in each layer of the stack.
py-spy needs to be allowed to trace the workers (root, or ptrace permitted); without it the
profile rows are skipped with a message.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

# A stack counts toward the first layer with a frame from one of its packages (py-spy names
# each frame "function (package/module.py:line)").
LAYERS = [
    ("database (ORM + driver)", ("psycopg/", "django/db/")),
    ("sessions and cache (Redis)", ("redis/", "django/contrib/sessions/", "django/core/cache/")),
    ("template rendering", ("django/template/",)),
    ("app code (views, questionnaires, audit)", ("intake/",)),
    ("Django request cycle + middleware", ("django/", "csp/", "axes/", "whitenoise/")),
    ("gunicorn (HTTP, sockets)", ("gunicorn/workers/", "gunicorn/http/")),
]
OTHER = "other"
RATE = 200  # samples a second, per worker


def py_spy() -> str | None:
    found = Path(sys.executable).with_name("py-spy")
    return str(found) if found.exists() else shutil.which("py-spy")


def start_recording(master_pid: int, seconds: float, out: Path) -> subprocess.Popen | None:
    command = py_spy()
    if command is None:
        return None
    return subprocess.Popen(
        [
            command,
            "record",
            "--pid",
            str(master_pid),
            "--subprocesses",
            "--nonblocking",
            "--rate",
            str(RATE),
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def layer_shares(collapsed: str) -> Counter:
    """Samples per layer, from py-spy's raw (collapsed stack) output."""
    shares: Counter = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        layer = next(
            (
                name
                for name, packages in LAYERS
                if any(f"({package}" in frame for frame in frames for package in packages)
            ),
            OTHER,
        )
        shares[layer] += int(count)
    return shares
