"""Patient sessions kept in the cache (Redis in production): renewed by activity, ended by idling.

The cache session store renews an unchanged session by pushing its expiry forward instead of
rewriting it; these tests hold it to the same behaviour a patient gets from Django's own store,
and show that a session outlives a Redis outage or restart (it is kept in the database too).
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.sessions import SessionStore

from ..definitions import version_1_questionnaires  # noqa: F401  (the fixture "questionnaires")
from ..runtime.gunicorn_process import free_port
from .conftest import open_link

ENGINES = ["django.contrib.sessions.backends.cache", "intake.sessions"]


@pytest.fixture(params=ENGINES)
def cache_sessions(request, settings):
    settings.SESSION_ENGINE = request.param
    cache.clear()


def test_activity_keeps_a_patient_session_open_and_30_idle_minutes_end_it(
    client, invitation, cache_sessions
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert open_link(client, invitation).status_code == 302
        for _ in range(4):  # a page every 20 minutes for 80 minutes
            traveller.shift(timedelta(minutes=20))
            assert client.get("/patient/step/1/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/patient/step/1/").status_code == 403


def test_answers_typed_between_renewals_are_kept(client, invitation, cache_sessions):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        open_link(client, invitation)
        traveller.shift(timedelta(minutes=25))
        saved = client.post(
            "/patient/step/1/", {"revision": 0, "action": "next", "areas": ["left_calf"]}
        )
        assert saved.status_code == 302
        traveller.shift(timedelta(minutes=25))
        page = client.get("/patient/step/1/").content.decode()
        assert 'value="left_calf" checked' in page


def test_renewing_never_brings_back_a_session_ended_elsewhere(settings, db):
    settings.SESSION_ENGINE = "intake.sessions"
    store = SessionStore()
    store["patient_intake"] = "1"
    store.save()
    key = store.session_key
    same = SessionStore(session_key=key)
    assert same["patient_intake"] == "1"  # loaded, not changed
    SessionStore(session_key=key).delete()  # signed out on another device
    with pytest.raises(UpdateError):
        same.save()
    assert SessionStore(session_key=key).load() == {}


def redis_down(settings) -> None:
    """Point the cache at a Redis that is not running (a port nothing listens on)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "intake.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def test_a_patient_stays_signed_in_and_saves_while_redis_is_down(client, invitation, settings):
    settings.SESSION_ENGINE = "intake.sessions"
    assert open_link(client, invitation).status_code == 302
    redis_down(settings)
    saved = client.post(
        "/patient/step/1/", {"revision": 0, "action": "next", "areas": ["left_calf"]}
    )
    assert saved.status_code == 302
    page = client.get("/patient/step/1/")
    assert page.status_code == 200
    assert 'value="left_calf" checked' in page.content.decode()


def test_a_redis_restart_that_lost_every_session_signs_nobody_out(client, invitation, settings):
    settings.SESSION_ENGINE = "intake.sessions"
    assert open_link(client, invitation).status_code == 302
    cache.clear()  # Redis restarted without its data
    assert client.get("/patient/step/1/").status_code == 200
    assert client.get("/patient/step/2/").status_code == 200  # and it is cached again


def test_a_long_visit_still_has_its_session_when_redis_fails_late(client, invitation, settings):
    settings.SESSION_ENGINE = "intake.sessions"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert open_link(client, invitation).status_code == 302
        for _ in range(6):  # two hours of pages, one every 20 minutes, renewed in Redis
            traveller.shift(timedelta(minutes=20))
            assert client.get("/patient/step/1/").status_code == 200
        redis_down(settings)
        traveller.shift(timedelta(minutes=10))
        assert client.get("/patient/step/1/").status_code == 200
        traveller.shift(timedelta(minutes=31))  # idling still ends it, from the database copy
        assert client.get("/patient/step/1/").status_code == 403


def test_an_unchanged_session_is_renewed_in_redis_without_a_database_write(
    client, invitation, settings
):
    settings.SESSION_ENGINE = "intake.sessions"
    open_link(client, invitation)
    client.get("/patient/step/1/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/patient/step/1/").status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"]]
