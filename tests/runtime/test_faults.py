"""Faults against the running service: Redis stopped and frozen, PostgreSQL connections cut.

gunicorn with PostgreSQL and a Redis of the test's own on a free loopback port. A patient works
through the web pages and the API while Redis goes away mid-page and comes back empty: nothing
typed is lost, the session survives, every refused request is a 503 with Retry-After (JSON under
/api/), /readyz reports the outage within a second and /healthz stays fast. Runs in `.ci/run`'s
PostgreSQL pass; skipped on SQLite. The outages are real and short (a few seconds in all).
"""

from __future__ import annotations

import re
import secrets
import socket
import time
from datetime import date
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection

from intake import services
from intake.models import Response

from ..conftest import DEFS
from . import gunicorn_process as gunicorn
from .redis_process import RedisServer

# One worker at a time (pytest-xdist): a stopped Redis is started again on its old port, which
# another test's server must not take meanwhile; see test_two_processes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servers")]

BORN = date(1981, 11, 3)
DEVICE = "fault-test-phone-" + "k" * 30  # the patient app's device key
API = "/api/v1/patient"


@pytest.fixture
def redis_server():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def service(redis_server, tmp_path):
    db = connection.settings_dict
    private = tmp_path / "private"  # made by the autouse private-storage fixture
    env = {
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_server.url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "QUESTIONNAIRE_DIR": str(DEFS),
        "PRIVATE_STORAGE_DIR": str(private),
        "ACCESS_LOG": "/dev/null",
    }
    log = tmp_path / "gunicorn.log"
    process, url = gunicorn.start(env, log=log)
    try:
        gunicorn.wait_until_up(process, url)
        yield url, log
    finally:
        if process.poll() is None:
            gunicorn.stop(process)


@pytest.fixture
def invitation(questionnaires):
    return services.create_invitation(patient_name="Fault Tolerant", date_of_birth=BORN)


class Visit:
    """One patient's browser, recording every answer it got."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.answers: list[requests.Response] = []

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._keep(self.session.get(f"{self.base}{path}", timeout=10, **kwargs))

    def post(self, path: str, data: dict, *, page: str | None = None) -> requests.Response:
        page_text = self.session.get(f"{self.base}{page or path}", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text).group(1)
        return self._keep(
            self.session.post(
                f"{self.base}{path}",
                data={**data, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{self.base}{page or path}"},
                allow_redirects=False,
                timeout=10,
            )
        )

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "X-Intake-Token": self.token,
            "X-Intake-Birth-Date": BORN.isoformat(),
            "X-Intake-Device": DEVICE,
        }
        return self._keep(
            self.session.request(
                method, f"{self.base}{API}{path}", headers=headers, timeout=10, **kwargs
            )
        )

    def _keep(self, response: requests.Response) -> requests.Response:
        self.answers.append(response)
        return response


def stored(invitation, slug: str) -> tuple[int, dict]:
    response = Response.objects.get(intake=invitation.intake, questionnaire_version__slug=slug)
    return response.revision, response.answers


def timed(function):
    started = time.monotonic()
    result = function()
    return result, time.monotonic() - started


def assert_outage_answers(answers: list[requests.Response]) -> None:
    """Every answer given during an outage worked, or is a 503 with Retry-After."""
    for answer in answers:
        path = urlsplit(answer.url).path
        assert answer.status_code < 500 or answer.status_code == 503, (path, answer.status_code)
        assert answer.status_code not in (403, 500), (path, answer.status_code)
        if answer.status_code == 503:
            assert answer.headers["Retry-After"] == "5", path
            if path.startswith("/api/"):
                assert answer.json()["detail"].startswith("The service is briefly unavailable")


def test_a_redis_outage_mid_page_loses_nothing_and_signs_nobody_out(
    service, redis_server, invitation
):
    base, log = service
    patient = Visit(base)
    patient.token = invitation.token
    assert patient.get(f"/i/{invitation.token}/").url.endswith("/patient/verify/")
    verified = patient.post("/patient/verify/", {"day": "3", "month": "11", "year": "1981"})
    assert verified.status_code == 302
    assert (
        patient.post(
            "/patient/step/1/", {"revision": 0, "action": "next", "areas": ["shin_left"]}
        ).status_code
        == 302
    )
    assert patient.api("get", "/intake/").status_code == 200
    page = patient.get("/patient/step/2/")  # the patient is on page 2 when Redis goes away
    assert page.status_code == 200

    redis_server.stop()
    during = len(patient.answers)
    ready, ready_took = timed(lambda: requests.get(f"{base}/readyz", timeout=5))
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"] == "unavailable"
    assert ready_took < 1
    alive, alive_took = timed(lambda: requests.get(f"{base}/healthz", timeout=5))
    assert alive.status_code == 200
    assert alive_took < 0.5

    typed = {"revision": 1, "how_often": "daily"}
    autosaved = patient.post("/patient/step/2/autosave/", typed, page="/patient/step/2/")
    assert autosaved.status_code == 200, autosaved.status_code
    pressed = patient.post("/patient/step/2/", {**typed, "revision": 2, "action": "next"})
    assert pressed.status_code == 302
    by_api = patient.api(
        "put", "/responses/surgeries/", json={"revision": 0, "answers": {"had_surgery": "no"}}
    )
    assert by_api.status_code == 503  # the birth-date try limit needs Redis: it fails closed
    second = Visit(base)  # someone else opening their link now
    assert second.get(f"/i/{invitation.token}/").url.endswith("/patient/verify/")
    assert second.get("/patient/verify/").status_code == 503  # asked to come back shortly
    assert_outage_answers(patient.answers[during:] + second.answers)
    assert stored(invitation, "twitch_history") == (
        3,
        {"areas": ["shin_left"], "how_often": "daily"},
    )

    redis_server.start()  # back, and empty
    assert patient.get("/patient/step/3/").status_code == 200  # still signed in
    assert requests.get(f"{base}/readyz", timeout=5).status_code == 200
    again = patient.api(
        "put", "/responses/surgeries/", json={"revision": 0, "answers": {"had_surgery": "no"}}
    )
    assert again.status_code == 200
    assert stored(invitation, "surgeries") == (1, {"had_surgery": "no"})

    text = log.read_text()
    assert "Traceback" not in text
    assert text.count("redis unavailable") <= 2  # one per worker, not one per request
    assert "Fault Tolerant" not in text


def test_a_frozen_redis_costs_a_request_well_under_its_old_five_seconds(
    service, redis_server, invitation
):
    base, _ = service
    patient = Visit(base)
    patient.token = invitation.token
    patient.get(f"/i/{invitation.token}/")
    patient.post("/patient/verify/", {"day": "3", "month": "11", "year": "1981"})
    patient.get("/patient/step/1/")
    redis_server.freeze()
    try:
        page, took = timed(lambda: patient.get("/patient/step/1/"))
        assert page.status_code == 200
        assert took < 2.5
        ready, ready_took = timed(lambda: requests.get(f"{base}/readyz", timeout=5))
        assert ready.status_code == 503
        assert ready_took < 1
    finally:
        redis_server.thaw()


def test_cut_database_connections_cost_no_request(service, invitation):
    base, _ = service
    for _ in range(4):  # every worker holds a connection now
        assert requests.get(f"{base}/readyz", timeout=5).status_code == 200
    with connection.cursor() as cursor:  # as a PostgreSQL restart does
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    answers = [requests.get(f"{base}/readyz", timeout=5).status_code for _ in range(8)]
    assert answers == [200] * 8


def test_a_save_whose_reply_was_lost_is_answered_200_when_retried(service, invitation):
    base, _ = service
    body = b'{"revision": 0, "answers": {"had_surgery": "no"}}'
    host = urlsplit(base)
    request = (
        f"PUT {API}/responses/surgeries/ HTTP/1.1\r\nHost: {host.hostname}\r\n"
        f"X-Intake-Token: {invitation.token}\r\nX-Intake-Birth-Date: {BORN.isoformat()}\r\n"
        f"X-Intake-Device: {DEVICE}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    with socket.create_connection((host.hostname, host.port)) as raw:
        raw.sendall(request)
        raw.shutdown(socket.SHUT_WR)  # the connection dies before the reply is read
    for _ in range(100):  # the server commits it all the same
        if stored(invitation, "surgeries")[0] == 1:
            break
        time.sleep(0.05)
    assert stored(invitation, "surgeries") == (1, {"had_surgery": "no"})

    retried = requests.put(
        f"{base}{API}/responses/surgeries/",
        data=body,
        headers={
            "X-Intake-Token": invitation.token,
            "X-Intake-Birth-Date": BORN.isoformat(),
            "X-Intake-Device": DEVICE,
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    assert retried.status_code == 200
    assert retried.json() == {"revision": 1, "answers": {"had_surgery": "no"}}
