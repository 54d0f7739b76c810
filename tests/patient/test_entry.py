"""Opening a link: the token leaves the URL, the date of birth is checked, bad links say so."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from intake import services
from intake.models import AuditEvent, Intake

from .conftest import open_link

pytestmark = pytest.mark.django_db


def test_link_moves_the_token_into_the_session_and_redirects_to_a_url_without_it(
    client, invitation
):
    response = client.get(f"/i/{invitation.token}/")
    assert response.status_code == 302
    assert response["Location"] == "/patient/verify/"
    assert invitation.token not in response["Location"]
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "max-age=0"} <= directives  # the token page is never kept
    page = client.get("/patient/verify/")
    assert b"Confirm your date of birth" in page.content
    assert b"Robin" not in page.content
    assert AuditEvent.objects.filter(action="link_opened", intake_id=invitation.intake.pk).exists()


def test_nothing_is_shown_before_the_date_of_birth_is_confirmed(client, invitation):
    client.get(f"/i/{invitation.token}/")
    assert client.get("/patient/step/1/")["Location"] == "/patient/verify/"
    assert client.get("/patient/review/")["Location"] == "/patient/verify/"


def test_right_date_of_birth_opens_the_start_page(client, invitation):
    response = open_link(client, invitation)
    assert response["Location"] == "/patient/"
    start = client.get("/patient/")
    assert b"Before your visit" in start.content
    assert b"not watched in real time" in start.content
    assert b"Start" in start.content


def test_wrong_date_of_birth_says_so_and_keeps_what_was_typed(client, invitation):
    response = open_link(client, invitation, birth_date=("1", "6", "1975"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "does not match our record" in text
    assert "4 tries left" in text
    assert 'value="1975"' in text
    assert AuditEvent.objects.filter(action="birth_date_failed").count() == 1


def test_an_impossible_date_of_birth_is_explained_and_not_counted(client, invitation):
    response = open_link(client, invitation, birth_date=("31", "2", "1975"))
    assert response.status_code == 400
    assert "Enter your date of birth as day, month and year" in response.content.decode()
    assert not AuditEvent.objects.filter(action="birth_date_failed").exists()


def test_too_many_wrong_dates_of_birth_lock_the_link_even_for_the_right_one(client, invitation):
    # The clock stands still: on a loaded machine a second passed and Retry-After said 899.
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(4):
            assert open_link(client, invitation, birth_date=("1", "1", "1975")).status_code == 400
        locked = open_link(client, invitation, birth_date=("1", "1", "1975"))
    assert locked.status_code == 429
    assert b"Too many tries" in locked.content
    assert int(locked["Retry-After"]) == 15 * 60
    right = open_link(client, invitation)
    assert right.status_code == 429
    assert client.get("/patient/step/1/")["Location"] == "/patient/verify/"


def test_the_pause_says_how_many_seconds_are_left(client, invitation):
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False) as clock:
        for _ in range(5):
            open_link(client, invitation, birth_date=("1", "1", "1975"))
        clock.shift(6 * 60)
        still = open_link(client, invitation)
    assert still.status_code == 429
    assert int(still["Retry-After"]) == 9 * 60


def test_the_lock_is_per_invitation(client, invitation, other_invitation):
    for _ in range(5):
        open_link(client, invitation, birth_date=("1", "1", "1975"))
    other = open_link(client, other_invitation, birth_date=("2", "1", "1990"))
    assert other["Location"] == "/patient/"


def test_unknown_link_gets_a_plain_not_found_page(client, invitation):
    response = client.get("/i/not-a-real-token/")
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert b"Robin" not in response.content


def test_many_unknown_links_from_one_address_are_refused(client, invitation):
    for attempt in range(20):
        client.get(f"/i/guess-{attempt}/")
    response = client.get(f"/i/{invitation.token}/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 10 * 60


def test_expired_link_gets_a_plain_gone_page(client, invitation):
    Intake.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/i/{invitation.token}/")
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert b"Robin" not in response.content


def test_cancelled_link_gets_a_plain_gone_page(client, invitation, clinician):
    services.cancel_invitation(intake=invitation.intake, by=clinician)
    response = client.get(f"/i/{invitation.token}/")
    assert response.status_code == 410
    assert b"no longer active" in response.content


def test_a_link_cancelled_mid_session_stops_the_pages(patient, invitation, clinician):
    services.cancel_invitation(intake=invitation.intake, by=clinician)
    response = patient.get("/patient/step/1/")
    assert response.status_code == 410
    assert b"Where do your muscles" not in response.content


def test_without_a_session_the_pages_ask_for_the_link(client, invitation):
    response = client.get("/patient/step/1/")
    assert response.status_code == 403
    assert b"Please open your link again" in response.content


def test_a_reissued_link_replaces_the_old_one(client, invitation, clinician):
    fresh = services.reissue_invitation(intake=invitation.intake, by=clinician)
    assert client.get(f"/i/{invitation.token}/").status_code == 404
    assert client.get(f"/i/{fresh.token}/").status_code == 302


@pytest.mark.parametrize("failure", ["expired", "too_many_tries", "submitted"])
def test_a_failure_path_keeps_the_answers_already_saved(client, invitation, failure):
    from intake.models import Response

    response = invitation.intake.responses.select_related("intake", "questionnaire_version").get(
        questionnaire_version__slug="back_injury"
    )
    services.save_answers(response=response, answers={"back_pain_now": 6}, revision=0)
    if failure == "expired":
        Intake.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        assert client.get(f"/i/{invitation.token}/").status_code == 410
    elif failure == "too_many_tries":
        for _ in range(5):
            open_link(client, invitation, birth_date=("1", "1", "1975"))
        assert open_link(client, invitation).status_code == 429
    else:
        services.submit_intake(intake=invitation.intake)
        assert b"Thank you" in client.get(f"/i/{invitation.token}/").content
    assert Response.objects.get(pk=response.pk).answers == {"back_pain_now": 6}
