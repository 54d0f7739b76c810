"""Settings come from the environment; a development secret only exists with DEBUG on."""

import os
import subprocess
import sys

from .conftest import ROOT


def _settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ENV")}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "intake.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_secret_is_allowed_only_with_debug_on():
    assert _settings(DEBUG="true").stdout.strip() == "True"
    refused = _settings(DEBUG="false")
    assert refused.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in refused.stderr


def test_production_mode_turns_debug_off_and_needs_a_secret():
    refused = _settings(DJANGO_ENV="production")
    assert "SECRET_KEY must be set" in refused.stderr
    ok = _settings(DJANGO_ENV="production", SECRET_KEY="s" * 60, ALLOWED_HOSTS="intake.example")
    assert ok.stdout.strip() == "False"


def test_a_bad_boolean_is_named():
    refused = _settings(DEBUG="maybe")
    assert "DEBUG must be true or false, not 'maybe'" in refused.stderr
