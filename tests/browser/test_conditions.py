"""Conditional questions on a phone: typed text kept while hidden, named if sent, cues."""

import pytest
from playwright.sync_api import expect

from intake.models import Response

from .patient_pages import Patient

pytestmark = pytest.mark.browser


@pytest.fixture
def definitions(version_1_definitions):
    """The frozen version 1: this tests the pages, not the shipped content's wording or ids."""
    return version_1_definitions


STARTED_CUE = "Answer only if you answered “Yes” to “Do you know when the twitching started?”."


def stored(patient: Patient) -> dict:
    return Response.objects.get(
        intake=patient.intake, questionnaire_version__slug="twitch_history"
    ).answers


def test_text_in_a_question_that_hides_is_kept_until_the_page_is_left(patient):
    patient.sign_in()
    patient.go_to_step(1, "Where and since when")
    patient.choose("areas", "left_calf")
    patient.choose("know_start", "yes")
    patient.month_year("started", "2020")
    patient.choose("know_start", "no")
    expect(patient.item("started")).to_be_hidden()
    patient.choose("know_start", "yes")
    expect(patient.item("started")).to_be_visible()
    expect(patient.page.locator("#f-started-year")).to_have_value("2020")
    expect(patient.page.locator("#f-started-cue")).to_be_hidden()  # the script shows and hides

    patient.choose("know_start", "no")
    patient.choose("since_range", "years_1_5")
    patient.press("next")
    patient.expect_heading("Where and since when")
    expect(patient.item("started")).to_be_visible()
    expect(patient.item("started")).to_contain_text("You answered this, but it is only asked")
    expect(patient.page.locator("#f-started-cue")).to_have_text(STARTED_CUE)
    expect(patient.page.locator("#f-started-year")).to_have_value("2020")
    assert "started" not in stored(patient)

    patient.month_year("started", "")
    patient.next("How often and when")
    assert stored(patient) == {
        "areas": ["left_calf"],
        "know_start": "no",
        "since_range": "years_1_5",
    }


def test_without_javascript_every_conditional_question_shows_with_its_cue(invite, new_phone):
    invitation, link = invite()
    phone = Patient(new_phone(javascript=False), link, invitation.intake.date_of_birth)
    phone.sign_in()
    phone.go_to_step(1, "Where and since when")
    expect(phone.item("started")).to_be_visible()
    expect(phone.page.locator("#f-started-cue")).to_have_text(STARTED_CUE)
    expect(phone.item("since_range")).to_be_visible()
