"""Two gunicorn processes sharing one PostgreSQL and one Redis behave as one service.

Runs on PostgreSQL with Redis reachable (as `.ci/run`'s PostgreSQL pass does); skipped on
SQLite, which several servers cannot share.
"""

from __future__ import annotations

import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests
from django.db import connection

from intake import services
from intake.models import AuditEvent, Intake, Response

from ..conftest import DEFS
from . import gunicorn_process as gunicorn

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# One worker at a time (pytest-xdist): every test empties the same Redis database, and the
# gunicorns take free ports that another test's servers must not be probing for at once.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servers")]


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - anything means: not reachable
        return False
    return True


@pytest.fixture
def servers():
    if connection.vendor != "postgresql" or not _redis_reachable():
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "QUESTIONNAIRE_DIR": str(DEFS),
        "ACCESS_LOG": "/dev/null",
    }
    started = [gunicorn.start(env) for _ in range(2)]
    try:
        for process, url in started:
            gunicorn.wait_until_up(process, url)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            if process.poll() is None:
                gunicorn.stop(process)


@pytest.fixture
def invitation(questionnaires):
    return services.create_invitation(patient_name="Two Servers", date_of_birth=date(1970, 5, 5))


def _csrf(session: requests.Session, page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _post(session, url, data, page_url):
    page = session.get(page_url)
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": _csrf(session, page.text)},
        headers={"Referer": page_url},
        allow_redirects=False,
    )


def _open(session: requests.Session, base: str, token: str) -> None:
    assert session.get(f"{base}/i/{token}/").url.endswith("/patient/verify/")
    verified = _post(
        session,
        f"{base}/patient/verify/",
        {"day": "5", "month": "5", "year": "1970"},
        f"{base}/patient/verify/",
    )
    assert verified.status_code == 302


def test_a_patient_saves_on_one_process_and_continues_on_the_other(servers, invitation):
    first, second = servers
    patient = requests.Session()
    _open(patient, first, invitation.token)
    saved = _post(
        patient,
        f"{first}/patient/step/1/",
        {"revision": 0, "action": "next", "areas": ["shin"]},
        f"{first}/patient/step/1/",
    )
    assert saved.headers["Location"] == "/patient/step/2/"
    # The same browser session, now answered by the other process.
    start = patient.get(f"{second}/patient/").text
    assert "Continue where you left off" in start
    page = patient.get(f"{second}/patient/step/1/").text
    assert 'value="shin" checked' in page
    _post(
        patient,
        f"{second}/patient/step/2/",
        {"revision": 1, "action": "next", "how_often": "daily"},
        f"{second}/patient/step/2/",
    )
    twitch = Response.objects.get(
        intake=invitation.intake, questionnaire_version__slug="twitch_history"
    )
    assert twitch.answers == {"areas": ["shin"], "how_often": "daily"}


def test_a_submit_racing_on_both_processes_records_one_submission(servers, invitation):
    patient = requests.Session()
    _open(patient, servers[0], invitation.token)
    token = _csrf(patient, patient.get(f"{servers[0]}/patient/review/").text)

    def submit(base):
        return patient.post(
            f"{base}/patient/submit/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/patient/review/"},
            allow_redirects=False,
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(submit, servers * 4))
    assert set(codes) == {302}
    assert Intake.objects.get(pk=invitation.intake.pk).status == "submitted"
    assert (
        AuditEvent.objects.filter(action="intake_submitted", intake_id=invitation.intake.pk).count()
        == 1
    )


def test_rate_limits_count_across_both_processes(servers, invitation):
    guesser = requests.Session()
    for attempt in range(20):
        base = servers[attempt % 2]
        assert guesser.get(f"{base}/i/guess-{attempt}/").status_code == 404
    for base in servers:
        assert guesser.get(f"{base}/i/{invitation.token}/").status_code == 429
