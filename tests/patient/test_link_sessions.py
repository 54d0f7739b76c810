"""A patient session lasts while the browser is open, ends on "Finish later", and ends at once
when the clinic re-issues or cancels the link it was opened with."""

from __future__ import annotations

import pytest
from django.conf import settings

from intake import services
from intake.models import AuditEvent

from ..definitions import version_1_questionnaires  # noqa: F401  (the fixture "questionnaires")
from .conftest import open_link

pytestmark = pytest.mark.django_db


def stored(invitation, slug="twitch_history"):
    response = invitation.intake.responses.get(questionnaire_version__slug=slug)
    return response.revision, response.answers


def test_the_patient_session_cookie_ends_when_the_browser_closes(client, invitation):
    open_link(client, invitation)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    device = client.cookies[settings.PATIENT_DEVICE_COOKIE_NAME]
    assert device["httponly"] and int(device["max-age"]) > 13 * 86400  # as long as the link


def test_staff_sessions_keep_their_idle_limit(client, clinician):
    signed_in = client.post(
        "/accounts/login/", {"username": "clinician", "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize("end", ["reissue", "cancel"])
def test_reissue_or_cancel_ends_the_open_session_at_once_and_stores_nothing(
    client, invitation, front_desk, end
):
    open_link(client, invitation)
    client.post("/patient/step/1/", {"revision": 0, "action": "next", "areas": ["shin"]})
    before = stored(invitation)
    if end == "reissue":
        services.reissue_invitation(intake=invitation.intake, by=front_desk)
    else:
        services.cancel_invitation(intake=invitation.intake, by=front_desk)

    page = client.get("/patient/step/1/")
    assert page.status_code == 410
    assert "shin" not in page.content.decode()
    saved = client.post("/patient/step/1/", {"revision": 1, "action": "next", "areas": ["calf"]})
    assert saved.status_code in (403, 410)
    autosaved = client.post("/patient/step/1/autosave/", {"revision": 1, "areas": ["calf"]})
    assert autosaved.status_code in (403, 410)
    assert stored(invitation) == before
    assert client.get("/patient/review/").status_code in (403, 410)


def test_a_reissued_link_says_it_was_replaced(client, invitation, front_desk):
    open_link(client, invitation)
    services.reissue_invitation(intake=invitation.intake, by=front_desk)
    page = client.get("/patient/")
    assert page.status_code == 410
    assert "This link has been replaced" in page.content.decode()


def test_finish_later_saves_the_page_and_ends_the_session(client, invitation):
    open_link(client, invitation)
    page = client.get("/patient/step/1/").content.decode()
    assert "Save and finish later" in page
    left = client.post("/patient/step/1/", {"revision": 0, "action": "later", "areas": ["shin"]})
    assert left.status_code == 302 and left["Location"] == "/patient/later/"
    said = client.get("/patient/later/").content.decode()
    assert "Your answers are saved" in said and "open the link from your invitation" in said
    assert stored(invitation) == (1, {"areas": ["shin"]})
    assert client.get("/patient/step/1/").status_code == 403  # the session has ended
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_FINISHED).count() == 1
    open_link(client, invitation)  # the same device comes back and sees its answer
    assert "checked" in client.get("/patient/step/1/").content.decode()


def test_finish_later_from_the_start_and_review_pages(client, invitation):
    open_link(client, invitation)
    for url in ("/patient/", "/patient/review/"):
        assert 'action="/patient/finish/"' in client.get(url).content.decode()
    assert client.post("/patient/finish/")["Location"] == "/patient/later/"
    assert client.get("/patient/review/").status_code == 403
