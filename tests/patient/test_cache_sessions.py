"""Patient sessions kept in the cache (Redis in production): renewed by activity, ended by idling.

The cache session store renews an unchanged session by pushing its expiry forward instead of
rewriting it; these tests hold it to the same behaviour a patient gets from Django's own store.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import cache
from django.utils import timezone

from intake.sessions import SessionStore

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


def test_renewing_never_brings_back_a_session_ended_elsewhere(settings):
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
