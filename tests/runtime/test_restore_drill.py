"""The restore drill: back up as SECURITY.md says, lose everything, restore, compare.

A scratch "production" (its own PostgreSQL database, private folder and configuration folder
with the environment file and the secret key) is filled through manage.py as an operator would,
backed up with SECURITY.md's commands, dropped, and restored with its commands onto the empty
places. Every table's row count, every stored file's SHA-256, the configuration's bytes and the
folders' and key's modes must come back the same. Runs in `.ci/run`'s PostgreSQL pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ..conftest import DEFS, ROOT

BACKUP = """
set -a; . "$CONFIG_ROOT/intake/env"; set +a
umask 077
pg_dump --format=custom --file=intake.dump "$DATABASE_URL"
tar czf private.tgz -C "$PRIVATE_STORAGE_DIR" .
tar czf config.tgz -C "$CONFIG_ROOT" intake
"""

RESTORE = """
umask 077
tar xzpf config.tgz -C "$CONFIG_ROOT"
set -a; . "$CONFIG_ROOT/intake/env"; set +a
install -d -m 700 "$PRIVATE_STORAGE_DIR"
tar xzpf private.tgz -C "$PRIVATE_STORAGE_DIR"
dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DRILL_DB"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -O "$PGUSER" "$DRILL_DB"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" intake.dump
"""


@pytest.fixture
def scratch(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and pg_dump/pg_restore")
    db = connection.settings_dict
    place = {
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"],
        "DRILL_DB": f"{db['NAME']}_drill",
    }
    if db["PASSWORD"]:
        place["PGPASSWORD"] = db["PASSWORD"]
    url = (
        f"postgres://{place['PGUSER']}:{db['PASSWORD'] or ''}@{place['PGHOST']}:"
        f"{place['PGPORT']}/{place['DRILL_DB']}"
    )
    config_root = tmp_path / "etc"
    config = config_root / "intake"
    private = tmp_path / "var" / "intake" / "private"
    config.mkdir(parents=True, mode=0o700)
    private.mkdir(parents=True, mode=0o700)
    (config / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    (config / "secret_key").chmod(0o600)
    (config / "env").write_text(
        "DJANGO_ENV=development\n"
        f"SECRET_KEY_FILE={config / 'secret_key'}\n"
        f"DATABASE_URL={url}\n"
        f"PRIVATE_STORAGE_DIR={private}\n"
        f"QUESTIONNAIRE_DIR={DEFS}\n"
    )
    (config / "env").chmod(0o600)
    env = {**os.environ, **place, "CONFIG_ROOT": str(config_root)}
    env.pop("DATABASE_URL", None)
    _run('dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DRILL_DB"', env, tmp_path)
    _run('createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DRILL_DB"', env, tmp_path)
    try:
        yield {"env": env, "url": url, "config": config, "private": private, "dir": tmp_path}
    finally:
        _run(
            'dropdb --if-exists --force -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DRILL_DB"',
            env,
            tmp_path,
        )


def _run(script: str, env: dict, cwd: Path) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _manage(scratch, *args: str) -> str:
    python = f"{sys.executable} {ROOT / 'manage.py'}"
    return _run(
        f'set -a; . "$CONFIG_ROOT/intake/env"; set +a; cd {ROOT}; {python} {" ".join(args)}',
        scratch["env"],
        scratch["dir"],
    )


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_drop_and_restore_bring_back_every_row_and_file(scratch):
    _manage(scratch, "migrate", "--no-input", "-v", "0")
    _manage(scratch, "load_questionnaires")
    demo = json.loads(_manage(scratch, "create_demo", "--json"))
    submitted = next(p for p in demo["patients"] if p["status"] == "submitted")
    _manage(scratch, "render_summary", submitted["intake_id"], "-o", "/dev/null")  # kept now

    before_rows = _row_counts(scratch["url"])
    before_files = _file_hashes(scratch["private"])
    before_config = _file_hashes(scratch["config"])
    assert before_rows["intake_intake"] == 5
    assert before_rows["intake_auditevent"] > 0
    assert len(before_files) == 1  # the submitted intake's summary PDF

    _run(BACKUP, scratch["env"], scratch["dir"])
    # Lose everything: the database, the private folder, the configuration with the key.
    _run(
        'dropdb --force -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DRILL_DB"',
        scratch["env"],
        scratch["dir"],
    )
    shutil.rmtree(scratch["private"].parent)
    shutil.rmtree(scratch["config"])

    _run(RESTORE, scratch["env"], scratch["dir"])

    assert _row_counts(scratch["url"]) == before_rows
    assert _file_hashes(scratch["private"]) == before_files
    assert _file_hashes(scratch["config"]) == before_config
    assert _mode(scratch["private"]) == 0o700
    assert _mode(scratch["config"]) == 0o700
    assert _mode(scratch["config"] / "secret_key") == 0o600
    with psycopg.connect(scratch["url"]) as db:
        (kept_hash,) = db.execute(
            "SELECT summary_pdf_sha256 FROM intake_intake WHERE id = %s", [submitted["intake_id"]]
        ).fetchone()
    assert kept_hash in before_files.values()
    _manage(scratch, "migrate", "--check")  # nothing left to apply: the schema came back whole
    _manage(scratch, "check")
