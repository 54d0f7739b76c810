"""A body map and choices with details on a phone, with and without JavaScript.

Both ways, what the patient taps or ticks reaches the review page and the PDF.
"""

import io
from datetime import date

import pypdf
import pytest
from playwright.sync_api import expect

from intake.models import Intake
from intake.services import create_invitation
from intake.summary.service import summary_pdf

from ..definitions import store_new_kinds
from .patient_pages import Patient
from .test_accessibility import violations

pytestmark = pytest.mark.browser

BORN = date(1980, 2, 3)


@pytest.fixture
def make_patient(transactional_db, live_server, new_phone):
    def make(*, javascript: bool) -> Patient:
        store_new_kinds()
        invitation = create_invitation(
            patient_name="Sam Examplewood", date_of_birth=BORN, questionnaire_slugs=["new_kinds"]
        )
        page = new_phone()
        if not javascript:  # axe needs JavaScript: the page runs it, never the site's script
            page.route("**/intake.js", lambda route: route.abort())
        link = f"{live_server.url}/i/{invitation.token}/"
        return Patient(page, link, BORN, invitation.intake)

    return make


def pdf_text(intake: Intake) -> str:
    reader = pypdf.PdfReader(io.BytesIO(summary_pdf(Intake.objects.get(pk=intake.pk))))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_tapping_the_picture_ticks_the_list_and_follow_ups_open_under_each_option(make_patient):
    patient = make_patient(javascript=True)
    patient.sign_in()
    patient.go_to_step(1, "Where you feel it")
    picture = patient.page.locator("[data-body-map=areas]")
    expect(picture).to_be_visible()
    picture.locator("[data-area=calf_left]").tap()
    picture.locator("[data-area=knee_back_right]").tap()
    expect(patient.page.locator("#f-areas-calf_left")).to_be_checked()
    expect(patient.page.locator("#f-areas-knee_back_right")).to_be_checked()
    patient.choose("areas", "calf_left")  # unticking in the list clears the picture's area
    expect(picture.locator("[data-area=calf_left]")).not_to_have_class("area is-chosen")
    expect(picture.locator("[data-area=knee_back_right]")).to_have_class("area is-chosen")
    patient.choose("areas", "calf_right")
    expect(picture.locator("[data-area=calf_right]")).to_have_class("area is-chosen")
    assert not violations(patient.page)
    patient.next("What you have tried")

    magnesium = patient.page.locator("#f-tried-magnesium-details")
    expect(magnesium).to_be_hidden()
    patient.choose("tried", "magnesium", "massage")
    expect(magnesium).to_be_visible()
    # Under its own option, not after the list.
    expect(patient.page.locator(".option:has(#f-tried-magnesium) + .details")).to_have_count(1)
    patient.choose("tried-magnesium-helped", "a_little")
    patient.month_year("tried-magnesium-when", "2024", "03")
    patient.choose("tried-massage-helped", "worse")
    patient.type("tried-massage-how_worse", "Sore the next day")

    patient.choose("tried", "magnesium")  # unticked with answers: kept in view, warned
    expect(magnesium.locator(".details-warning")).to_be_visible()
    assert not violations(patient.page)
    patient.choose("tried", "magnesium")
    expect(magnesium.locator(".details-warning")).to_be_hidden()
    patient.next("Check your answers")

    review = patient.page.locator("main")
    expect(review).to_contain_text("Back of the right knee")
    expect(review).to_contain_text("Right calf")
    expect(review).not_to_contain_text("Left calf")
    entries = patient.page.locator(".review-section", has_text="What you have tried")
    expect(entries.locator("ol > li").nth(0)).to_contain_text("Magnesium")
    expect(entries.locator("ol > li").nth(0)).to_contain_text("Yes, a little")
    expect(entries.locator("ol > li").nth(0)).to_contain_text("March 2024")
    expect(entries.locator("ol > li").nth(1)).to_contain_text("Sore the next day")
    patient.send()

    text = pdf_text(patient.intake)
    for words in ("Back of the right knee", "Right calf", "Tried: Magnesium", "Yes, a little"):
        assert words in text
    assert "Helped: It made it worse" in text and "Sore the next day" in text
    assert "Left calf" not in text


def test_without_javascript_the_list_and_following_blocks_do_the_same(make_patient):
    patient = make_patient(javascript=False)
    patient.sign_in()
    patient.go_to_step(1, "Where you feel it")
    expect(patient.page.locator("[data-body-map=areas]")).to_be_hidden()
    patient.choose("areas", "achilles_left", "calf_side_not_sure")
    patient.next("What you have tried")

    expect(patient.page.locator("#f-tried-stretching-details")).to_be_visible()
    patient.choose("tried", "stretching")
    patient.next("What you have tried")  # the follow-up is required for a ticked option
    expect(patient.page.locator(".error-summary")).to_contain_text("Please answer this question.")
    patient.choose("tried-stretching-helped", "too_soon")
    assert not violations(patient.page)
    patient.next("Check your answers")

    review = patient.page.locator("main")
    expect(review).to_contain_text("Left Achilles")
    expect(review).to_contain_text("A calf, not sure which side")
    expect(review).to_contain_text("Too soon to tell")
    patient.send()

    text = pdf_text(patient.intake)
    for words in ("Left Achilles", "A calf, not sure which side", "Tried: Stretching"):
        assert words in text
    assert "Helped: Too soon to tell" in text
