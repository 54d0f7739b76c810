"""`make serve` and `make worker`: gunicorn, and the task worker beside it when REDIS_URL is set.

`python serve.py` runs gunicorn, plus a Celery worker if REDIS_URL is set (without it tasks run
in the web process and a worker would have nothing to take); `python serve.py worker` runs the
worker alone. Ctrl-C or a TERM stops both, and either one ending stops the other: nothing runs
half a service. In production each runs under its own systemd unit (README, Deploying).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

WEB = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
# No gossip or mingle: workers need not know each other, and start without waiting for others.
WORKER = [sys.executable, "-m", "celery", "-A", "intake", "worker"]
WORKER += ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
STOP_SECONDS = 60  # a task still running gets this long to finish; cut short, it runs again


class Stop(Exception):
    pass


def _stop(signum, frame):
    raise Stop


def run(commands: list[list[str]]) -> int:
    """Run the commands side by side until one ends or we are told to stop; stop them all."""
    signal.signal(signal.SIGTERM, _stop)
    children = [subprocess.Popen(command) for command in commands]
    code = 0
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        code = next(child.returncode for child in children if child.returncode is not None)
    except (KeyboardInterrupt, Stop):
        pass  # Ctrl-C reached every process of the terminal: they are stopping already
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return code


def main(argv: list[str]) -> int:
    redis = bool(os.environ.get("REDIS_URL"))
    if argv == ["worker"]:
        if not redis:
            print(
                "make worker needs REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379/0 make "
                "worker): without it, tasks run in the web process and need no worker.",
                file=sys.stderr,
            )
            return 2
        return run([WORKER])
    if argv:
        print("usage: serve.py [worker]", file=sys.stderr)
        return 2
    if redis:
        print("REDIS_URL is set: starting gunicorn and a task worker (Ctrl-C stops both)")
        return run([WEB, WORKER])
    return run([WEB])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
