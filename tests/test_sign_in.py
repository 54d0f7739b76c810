"""Sign-in limits: the client address behind a proxy, the per-address and per-username caps,
and the pause page's Retry-After."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from intake.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"  # the role fixtures' password
WRONG = "wrong-password-12"
PROXY = "10.0.0.2"  # the TLS proxy in front of the app: every request connects from it


def behind_proxy(client_address: str, forwarded: str | None = None) -> Client:
    """A browser at `client_address`, reaching the app through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded or client_address)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1


# --- the client address behind a proxy ---------------------------------------------------------


def test_behind_the_proxy_five_wrong_passwords_pause_only_the_address_that_sent_them(
    one_proxy, clinician
):
    guesser = behind_proxy("203.0.113.5")
    for _ in range(4):
        assert sign_in(guesser, "clinician", WRONG).status_code == 200
    assert sign_in(guesser, "clinician", WRONG).status_code == 429
    assert b"Sign-in paused" in sign_in(guesser, "clinician").content
    colleague = behind_proxy("198.51.100.7")
    signed_in = sign_in(colleague, "clinician")
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/clinic/"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_an_address_the_client_writes_into_x_forwarded_for_does_not_lift_the_pause(
    one_proxy, clinician
):
    guesser = behind_proxy("203.0.113.5")
    for _ in range(5):
        sign_in(guesser, "clinician", WRONG)
    # The proxy appends the real address after whatever the client sent.
    spoofing = behind_proxy("203.0.113.5", forwarded="198.51.100.7, 203.0.113.5")
    assert b"Sign-in paused" in sign_in(spoofing, "clinician").content


def test_sign_in_events_in_the_audit_trail_carry_the_client_address_not_the_proxys(
    one_proxy, clinician
):
    browser = behind_proxy("203.0.113.5")
    sign_in(browser, "clinician", WRONG)
    sign_in(browser, "clinician")
    browser.post("/accounts/logout/")
    events = AuditEvent.objects.filter(
        action__in=["sign_in_failed", "signed_in", "signed_out"]
    ).values_list("action", "ip_address")
    assert sorted(events) == [
        ("sign_in_failed", "203.0.113.5"),
        ("signed_in", "203.0.113.5"),
        ("signed_out", "203.0.113.5"),
    ]


# --- caps across usernames and across addresses ------------------------------------------------


def test_one_address_trying_many_usernames_is_paused_after_20_failures_with_the_time_left(
    settings, clinician, front_desk
):
    assert settings.SIGN_IN_FAILURES_PER_ADDRESS == 20
    spraying = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for number in range(20):
            assert sign_in(spraying, f"staff{number}", WRONG).status_code == 200
        traveller.shift(timedelta(minutes=5))
        paused = sign_in(spraying, "clinician")
        assert paused.status_code == 429
        assert b"Sign-in paused" in paused.content
        assert b"Try again in 10 minutes" in paused.content
        assert paused["Retry-After"] == "600"
        assert "_auth_user_id" not in spraying.session
        assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "frontdesk").status_code == 302
        traveller.shift(timedelta(minutes=10, seconds=1))
        assert sign_in(spraying, "clinician").status_code == 302


def test_many_addresses_guessing_one_username_pause_it_after_30_failures(
    settings, clinician, front_desk
):
    assert settings.SIGN_IN_FAILURES_PER_USERNAME == 30
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for number in range(30):
            guesser = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
            assert sign_in(guesser, "clinician", WRONG).status_code == 200
        traveller.shift(timedelta(seconds=90))
        office = Client(REMOTE_ADDR="198.51.100.7")
        paused = sign_in(office, "clinician")
        assert paused.status_code == 429
        assert paused["Retry-After"] == "810"
        assert sign_in(office, "frontdesk").status_code == 302  # other accounts are not paused
        traveller.shift(timedelta(seconds=811))
        assert sign_in(Client(REMOTE_ADDR="198.51.100.8"), "clinician").status_code == 302


def test_tries_refused_while_paused_do_not_count_towards_the_username_cap(clinician):
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(40):  # 5 wrong passwords, then 35 tries refused by the pause
        sign_in(guesser, "clinician", WRONG)
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "clinician").status_code == 302


def test_the_pause_from_wrong_passwords_says_the_whole_cool_off_is_left(clinician):
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        sign_in(guesser, "clinician", WRONG)
    paused = sign_in(guesser, "clinician")
    assert paused.status_code == 429
    assert paused["Retry-After"] == "900"  # every try while paused starts the cool-off again
    assert b"Try again in 15 minutes" in paused.content


def test_a_failed_sign_in_without_a_client_address_is_counted_not_a_server_error(clinician):
    # A server on a UNIX socket sends no REMOTE_ADDR: axes stores no address rather than fail.
    nowhere = Client(REMOTE_ADDR="")
    assert sign_in(nowhere, "clinician", WRONG).status_code == 200
    assert AccessAttempt.objects.get().ip_address is None
    assert sign_in(nowhere, "clinician").status_code == 302
