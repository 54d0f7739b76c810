"""gunicorn's access log, with the project's config: no searched name and no link token."""

from __future__ import annotations

import secrets

import pytest
import requests

from ..conftest import DEFS
from . import gunicorn_process as gunicorn

NAME = "Robin Testperson"

pytestmark = pytest.mark.xdist_group("servers")  # free ports: see test_two_processes


def test_searches_leave_no_name_in_the_gunicorn_access_log(tmp_path):
    log = tmp_path / "access.log"
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "QUESTIONNAIRE_DIR": str(DEFS),
        "ACCESS_LOG": str(log),
    }
    process, url = gunicorn.start(env)
    try:
        gunicorn.wait_until_up(process, url)
        token = secrets.token_urlsafe(32)
        with requests.Session() as browser:
            # The dashboard's search (not signed in: redirected to sign in, with the search
            # in `next`), the API's search, a page reached from the results, and a link.
            browser.get(f"{url}/clinic/", params={"q": NAME, "status": "submitted"})
            browser.get(f"{url}/api/v1/intakes/", params={"q": NAME, "page": "2"})
            browser.get(f"{url}/clinic/", headers={"Referer": f"{url}/clinic/?q=Robin+Testperson"})
            browser.get(f"{url}/i/{token}/")
    finally:
        gunicorn.stop(process)
    lines = log.read_text().splitlines()
    searches = [line for line in lines if "q=[redacted]" in line]
    assert len(searches) >= 3, lines  # the two searches and the page after sign-in's redirect
    text = "\n".join(lines)
    for fragment in ("Robin", "Testperson", token):
        assert fragment not in text, fragment
    assert "status=submitted" in text and "page=2" in text  # codes and numbers stay readable
    assert "/i/[redacted]/" in text
