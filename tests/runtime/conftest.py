"""Fixtures of the tests that run the service's processes: its Redis, environment and workers.

The worker tests run on PostgreSQL (as `.ci/run`'s PostgreSQL pass does) and are skipped on
SQLite, which several processes cannot share.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from ..conftest import DEFS
from . import worker_process
from .redis_process import RedisServer


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis of the test's own: no other test, or other test run on this machine, shares it.

    A shared one (it was database 15 of the machine's Redis) let the worker of a test run
    beside this one take this test's task, find no such intake in its own test database and
    acknowledge it, and let that run's FLUSHDB empty this test's queue: the task never reached
    this test's worker.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer()
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def service_env(settings, redis_url) -> dict[str, str]:
    """The environment every process of the service shares: database, Redis, private folder."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "QUESTIONNAIRE_DIR": str(DEFS),
        "ACCESS_LOG": "/dev/null",
        "PRIVATE_STORAGE_DIR": str(settings.MEDIA_ROOT),  # this test's, as the servers' share
    }


@pytest.fixture
def start_worker(service_env):
    """Start a task worker: start_worker(env, log, name); every one is stopped when the test ends.

    A worker left running (its own session outlives pytest) would take later tests' tasks.
    """
    started = []

    def start(env: dict[str, str], log: Path, name: str):
        process = worker_process.start(env, log, name)
        started.append(process)
        return process

    yield start
    for process in started:
        worker_process.stop(process)
