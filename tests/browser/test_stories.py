"""Twelve invented patients enter their stories on a phone; every fact reaches the PDF.

Each story (tests/stories/) is entered page by page through the patient pages at 390x844,
with JavaScript on: body maps by their checkbox lists, follow-ups under each ticked option,
repeating groups entry by entry. The clinician then downloads the PDF, and every fact that
had a place to be entered must be in its text.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from intake.models import Intake
from intake.services import create_invitation

from ..stories import Story, facts_missing_from, load_stories
from .patient_pages import PHONE, Patient
from .story_pages import enter_answers

pytestmark = pytest.mark.browser

STORIES = load_stories()


def clinician_cookies(url: str) -> list[dict]:
    """Sign a clinician in; return their session cookie for the live server."""
    user = get_user_model().objects.create_user("dr-stories", password="invented-pass-2026")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_answers", "view_intake"])
    )
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}]


@pytest.mark.parametrize("story", STORIES, ids=[story.slug for story in STORIES])
def test_every_fact_of_the_story_entered_on_a_phone_is_in_the_pdf(
    story: Story, questionnaires, live_server, browser
):
    invitation = create_invitation(patient_name=story.patient_name, date_of_birth=story.born)
    intake = invitation.intake
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.set_default_navigation_timeout(30_000)  # the live server's first page is slow
        patient = Patient(page, f"{live_server.url}/i/{invitation.token}/", story.born, intake)
        patient.sign_in()
        patient.submit("text=Start")
        definitions = [
            response.questionnaire_version.questionnaire
            for response in intake.responses.select_related("questionnaire_version").order_by(
                "position"
            )
        ]
        enter_answers(patient, definitions, story.answers())
        patient.send()
        assert Intake.objects.get(pk=intake.pk).status == Intake.Status.SUBMITTED

        clinic = browser.new_context()
        clinic.add_cookies(clinician_cookies(live_server.url))
        download = clinic.request.get(live_server.url + reverse("clinic:pdf", args=[intake.pk]))
        assert download.status == 200
        assert download.headers["content-type"] == "application/pdf"
        pdf = download.body()
        clinic.close()
    finally:
        context.close()

    missing = facts_missing_from(pdf, story)
    assert missing == [], f"{story.slug}: facts not in the PDF: {missing}"
