"""Rate limits: the one client address, and refusals that say how long is really left."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from intake.ratelimit import client_ip

from .api.conftest import invitation_client


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.5", "203.0.113.5"),  # no proxy: the header is ignored
        (1, "198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # left part: the client's
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.3", "10.0.0.2", "198.51.100.7"),
        (1, "", "10.0.0.2", "10.0.0.2"),  # came round the proxy
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
    ],
)
def test_the_client_address_is_counted_from_the_right_of_x_forwarded_for(
    settings, proxies, forwarded, remote, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_paused_invitation_says_how_many_seconds_are_really_left(invitation):
    wrong = invitation_client(invitation.token, born="2000-01-01")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            assert wrong.get("/api/v1/patient/intake/").status_code == 401
        traveller.shift(timedelta(minutes=6))
        locked = invitation_client(invitation.token).get("/api/v1/patient/intake/")
        assert locked.status_code == 429
        assert locked["Retry-After"] == "540"
        assert locked.json()["detail"].endswith("Expected available in 540 seconds.")


@pytest.mark.django_db
def test_an_address_paused_for_guessing_links_says_how_many_seconds_are_left(invitation):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for number in range(20):
            invitation_client(f"guess-{number}").get("/api/v1/patient/intake/")
        traveller.shift(timedelta(minutes=4))
        locked = invitation_client(invitation.token).get("/api/v1/patient/intake/")
        assert locked.status_code == 429
        assert locked["Retry-After"] == "360"
