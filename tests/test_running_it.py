"""What a newcomer meets: `make run` on a port of their choice, and every setting documented."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess

import pytest

from .conftest import ROOT

SOURCES_READING_THE_ENVIRONMENT = ["intake/settings.py", "gunicorn.conf.py", "serve.py"]
BENCH_ONLY = {"BENCH_BARE_VIEW"}  # read by settings.py for `make bench` alone (README, Tests)


def env_example() -> list[str]:
    """Return the names .env.example lists, commented-out ones included."""
    text = (ROOT / ".env.example").read_text()
    return re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)


def readme_configuration_table() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def variables_read() -> set[str]:
    names = set()
    for source in SOURCES_READING_THE_ENVIRONMENT:
        text = (ROOT / source).read_text()
        names |= set(re.findall(r"(?:env\w+\(|os\.environ\.get\()\s*[\"']([A-Z0-9_]+)", text))
        names |= {f"{n}_FILE" for n in re.findall(r"envsecret\(\s*\"([A-Z0-9_]+)", text)}
    return names - BENCH_ONLY


def test_every_variable_in_env_example_is_in_the_readme_table():
    listed = env_example()
    assert "REDIS_URL" in listed and "SECRET_KEY_FILE" in listed
    assert sorted(set(listed) - readme_configuration_table()) == []


def test_every_variable_the_app_reads_is_in_env_example():
    assert {"DATABASE_STATEMENT_TIMEOUT_MS", "TASK_REDELIVER_SECONDS"} <= variables_read()
    assert sorted(variables_read() - set(env_example())) == []


def test_env_example_says_it_is_not_read():
    header = (ROOT / ".env.example").read_text().split("\nDJANGO_ENV=", 1)[0]
    assert "This file is NOT read: the app reads only real\n# environment variables." in header


@pytest.fixture
def fake_venv(tmp_path):
    """A .venv/bin whose python records its arguments and PUBLIC_BASE_URL instead of running."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "calls.txt"
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\necho "$PUBLIC_BASE_URL $*" >> {record}\n')
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: nothing is installed
    return [f"BIN={bin_dir}", f"STAMP={stamp}"], record


def make_run(port: str, overrides: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "MAKEFLAGS")}
    return subprocess.run(
        ["make", "--no-print-directory", "run", f"PORT={port}", *overrides],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_run_serves_on_the_port_asked_for_and_its_links_follow(fake_venv):
    overrides, record = fake_venv
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    assert make_run(port, overrides).returncode == 0
    calls = record.read_text().splitlines()
    assert calls[-1] == f"http://127.0.0.1:{port} manage.py runserver 127.0.0.1:{port}"
    assert f"http://127.0.0.1:{port} manage.py create_demo" in calls


def test_make_run_on_a_taken_port_says_so_and_how_to_pick_another(fake_venv):
    overrides, record = fake_venv
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = make_run(str(port), overrides)
    assert ran.returncode != 0
    assert f"Port {port} is taken" in ran.stderr
    assert f"Pick another: make run PORT={port + 1}" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not record.exists()  # stopped before migrating or installing anything


def test_make_run_refuses_a_port_that_is_not_a_number(fake_venv):
    overrides, record = fake_venv
    ran = make_run("80o1", overrides)
    assert "PORT must be a port number, not '80o1'" in ran.stderr
    assert not record.exists()
