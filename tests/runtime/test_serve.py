"""`make serve` (serve.py): gunicorn and a task worker together, Ctrl-C stops both."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import gunicorn_process as gunicorn
from .redis_process import RedisServer


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _group_members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group:
                    members.append(int(entry.name))
            except ProcessLookupError:
                pass
    return members


@pytest.fixture
def redis_url():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer()  # of its own: its worker takes no other test's tasks
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def serve(tmp_path, redis_url):
    port = gunicorn.free_port()
    log = tmp_path / "serve.log"
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "serve.py"],
            cwd=gunicorn.ROOT,
            env={
                **os.environ,
                "REDIS_URL": redis_url,
                "BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "ACCESS_LOG": "/dev/null",
            },
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own group, as a terminal's foreground job
        )
    try:
        gunicorn.wait_until_up(process, f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        yield process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def _stopped_within(process: subprocess.Popen, seconds: float) -> None:
    process.wait(timeout=seconds)
    deadline = time.monotonic() + seconds
    while _group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _group_members(process.pid) == [], "a process of the service is still running"


def test_serve_runs_gunicorn_and_a_worker_and_ctrl_c_stops_both(serve):
    process, log = serve
    started = [_command_line(pid) for pid in _children(process.pid)]
    assert any("gunicorn" in line for line in started)
    assert any("celeryd" in line and "-A intake worker" in line for line in started), started
    assert "celery@" in log.read_text() and " ready." in log.read_text()

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's job
    _stopped_within(process, 30)


def test_the_worker_ending_stops_gunicorn_too(serve):
    process, _ = serve
    worker = next(p for p in _children(process.pid) if "celery" in _command_line(p))
    os.kill(worker, signal.SIGKILL)
    _stopped_within(process, 30)
