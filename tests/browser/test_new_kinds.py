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


ASK = "Please tell us a little more about what you ticked (below)."


def test_without_javascript_the_list_and_following_blocks_do_the_same(make_patient):
    patient = make_patient(javascript=False)
    patient.sign_in()
    patient.go_to_step(1, "Where you feel it")
    expect(patient.page.locator("[data-body-map=areas]")).to_be_hidden()
    patient.choose("areas", "achilles_left", "calf_side_not_sure")
    patient.next("What you have tried")

    stretching = patient.page.locator("#f-tried-stretching-details")
    expect(stretching).to_have_count(0)  # no follow-ups before a tick
    patient.choose("tried", "stretching")
    patient.next("What you have tried")  # its follow-ups were not on the page: asked first
    expect(patient.page.locator(".notice-box")).to_have_text(ASK)
    expect(patient.page.locator("#f-tried-note")).to_have_text(ASK)
    expect(stretching).to_be_visible()
    expect(stretching.locator(".details-if")).to_have_text("(only if you ticked it)")
    assert not violations(patient.page)
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


def stored_answers(patient: Patient) -> dict:
    return patient.intake.responses.get().answers


def test_a_ticked_options_copied_follow_up_is_autosaved_and_drawn_again(make_patient):
    patient = make_patient(javascript=True)
    patient.sign_in()
    patient.go_to_step(2, "What you have tried")
    massage = patient.page.locator("#f-tried-massage-details")
    expect(massage).to_have_count(0)
    patient.choose("tried", "massage")
    expect(massage).to_be_visible()  # copied from the template, under its option
    expect(patient.page.locator(".option:has(#f-tried-massage) + .details")).to_have_count(1)
    expect(massage.locator("legend").first).to_have_text("About “Massage” (only if you ticked it)")
    expect(massage.locator(".details-if")).to_be_hidden()  # it sits under its option
    expect(massage.locator(".details-warning")).to_be_hidden()
    assert not violations(patient.page)
    patient.choose("tried-massage-helped", "worse")
    expect(patient.item("tried-massage-how_worse")).to_be_visible()  # its own condition
    patient.type("tried-massage-how_worse", "Sore the next day")
    expect(patient.page.locator(".save-status")).to_have_text("Saved")
    row_id = patient.page.locator("[name='tried-massage-_id']").input_value()
    assert stored_answers(patient)["tried.details"] == {
        "massage": {"_id": row_id, "helped": "worse", "how_worse": "Sore the next day"}
    }

    patient.page.reload()  # drawn by the server now, with the same stable id
    expect(patient.page.locator("#f-tried-massage")).to_be_checked()
    expect(patient.page.locator("#f-tried-massage-helped-worse")).to_be_checked()
    expect(patient.item("tried-massage-how_worse")).to_have_value("Sore the next day")
    expect(patient.page.locator("[name='tried-massage-_id']")).to_have_value(row_id)
    patient.choose("tried", "massage")  # unticked with answers: kept in view, warned
    warning = massage.locator(".details-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("“Massage” is not ticked.")
    expect(warning.locator("button")).to_have_text("Clear the answers about “Massage”")
    assert not violations(patient.page)
    patient.choose("tried", "massage")
    expect(warning).to_be_hidden()
    patient.choose("tried", "stretching")  # a second copy: its own names and stable id
    patient.choose("tried-stretching-helped", "a_lot")
    expect(patient.page.locator(".save-status")).to_have_text("Saved")
    patient.next("Check your answers")  # every block was on the page: no page in between
    details = stored_answers(patient)["tried.details"]
    assert details["massage"]["_id"] == row_id
    assert details["stretching"]["helped"] == "a_lot"
    assert details["stretching"]["_id"] not in (row_id, "__ROW_ID__")


def test_with_javascript_off_a_details_page_asks_for_the_follow_ups_it_did_not_show(
    transactional_db, live_server, new_phone
):
    store_new_kinds()
    invitation = create_invitation(
        patient_name="Sam Examplewood", date_of_birth=BORN, questionnaire_slugs=["new_kinds"]
    )
    page = new_phone(javascript=False)
    patient = Patient(page, f"{live_server.url}/i/{invitation.token}/", BORN, invitation.intake)
    patient.sign_in()
    patient.go_to_step(2, "What you have tried")
    expect(page.locator("fieldset.details")).to_have_count(0)
    patient.choose("tried", "magnesium", "other")
    patient.other_text("tried", "Cold showers")
    patient.next("What you have tried")
    expect(page.locator(".notice-box")).to_have_text(ASK)
    expect(page.locator("#f-tried-note")).to_have_text(ASK)
    expect(page.locator("#f-tried-other-text")).to_have_value("Cold showers")
    expect(page.locator("fieldset.details")).to_have_count(2)
    expect(page.locator("#f-tried-magnesium-details legend").first).to_have_text(
        "About “Magnesium” (only if you ticked it)"
    )
    patient.choose("tried-magnesium-helped", "a_little")
    patient.month_year("tried-magnesium-when", "2024", "03")
    patient.choose("tried-other-helped", "no")
    patient.next("Check your answers")
    answers = stored_answers(patient)
    assert answers["tried.other"] == "Cold showers"
    assert answers["tried.details"]["magnesium"]["when"] == "2024-03"
    assert answers["tried.details"]["other"]["helped"] == "no"


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab (no mouse, no focus() call) until the element `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_the_list_fills_the_picture_and_follow_ups_open_and_are_answered(
    make_patient,
):
    patient = make_patient(javascript=True)
    patient.sign_in()
    patient.go_to_step(1, "Where you feel it")
    page = patient.page
    _tab_to(page, "#f-areas-calf_left")
    page.keyboard.press("Space")
    expect(page.locator("[data-body-map=areas] [data-area=calf_left]")).to_have_class(
        "area is-chosen"
    )
    _tab_to(page, "button[name=action][value=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    patient.expect_heading("What you have tried")

    _tab_to(page, "#f-tried-massage")
    page.keyboard.press("Space")
    follow_ups = page.locator("#f-tried-massage-details")
    expect(follow_ups).to_be_visible()
    _tab_to(page, "#f-tried-massage-helped-a_lot")  # Tab enters "Did it help?" at its first answer
    page.keyboard.press("ArrowDown")  # arrows move within the group, choosing as they go
    expect(page.locator("#f-tried-massage-helped-a_little")).to_be_checked()
    assert not violations(page)
    _tab_to(page, "button[name=action][value=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    patient.expect_heading("Check your answers")
    review = page.locator("main")
    expect(review).to_contain_text("Left calf")
    expect(review).to_contain_text("Massage")
    expect(review).to_contain_text("Yes, a little")
