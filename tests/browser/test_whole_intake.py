"""A whole intake on a phone, with and without JavaScript: answer all five shipped
questionnaires (body maps, follow-ups under ticked options, repeating groups), leave halfway
and close the browser, come back on the same phone, review, change an answer, send; then the
link shows nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from intake.models import Intake, Response

from .patient_pages import Patient
from .story_pages import answer_items, press_next

pytestmark = pytest.mark.browser

NAME = "Quinn Walkthrough"
BIRTH_DATE = date(1968, 10, 5)

# Every text the patient types; none may be shown once the answers are sent.
TYPED = [
    "Left big toe joint",
    "A bad cold in February",
    "MRI showed a small bulge at L5-S1",
    "Worst after long runs",
    "L5-S1 disc",
    "Microdiscectomy on the left",
    "Right knee arthroscopy",
    "Gabapentin",
    "300 mg",
    "Ibuprofen",
    "Atorvastatin",
    "Underactive thyroid",
    "Broke my left wrist",
    "Warehouse supervisor",
    "Cramps in my calves",
    "That it is a nerve problem",
    "To know what I can do",
]

# The pages answered item by item as test_stories enters a story (story_pages.answer_items).
PAGES = {
    "How often and when": {
        "how_often": "daily",
        "trend": "worse",
        "when_happens": ["at_rest", "in_bed"],
        "visible": "yes",
        "bother": 6,
    },
    "Cramps and sleep": {
        "cramp_areas": ["calf_left"],
        "cramp_nights": 3,
        "woken_from_sleep": "sometimes",
        "calf_torn": "no",
    },
    "Tests and people seen": {
        "tests_had": ["mri_low_back"],
        "tests_had.details": {
            "mri_low_back": {"when": "2024-04", "told": "MRI showed a small bulge at L5-S1"}
        },
        "clinicians_seen": ["family_doctor"],
    },
    "What you have tried": {
        "tried": ["stretching"],
        "tried.details": {"stretching": {"helped": "a_little"}},
        "anything_else": "Worst after long runs",
    },
    "Back and neck injuries": {"ever_injured": "no"},
    "Back and neck pain": {"back_pain_now": 4, "neck_pain_now": 1},
    "Your legs": {
        "leg_symptoms": ["numbness", "tingling"],
        "leg_side": "left",
        "leg_how_far": "calf",
        "worse_with": ["sitting"],
    },
    "Spine shots and procedures": {
        "spine_procedures": ["epidural_steroid"],
        "spine_procedures.details": {"epidural_steroid": {"times": 2, "helped": "a_little"}},
    },
    "Offered and planned": {"offered_not_done": "no", "surgery_planned": "no"},
    "Steroids, antibiotics and other medicines": {
        "steroid_ever": "no",
        "antibiotic_reaction": "no",
        "antibiotic_recent": "no",
        "statin_recent": "no",
        "blood_thinner_recent": "no",
    },
    "Allergies": {"has_allergies": "no"},
    "Health conditions": {
        "conditions": ["thyroid"],
        "conditions.details": {"thyroid": {"name": "Underactive thyroid", "when": "2016"}},
    },
    "Injuries and broken bones": {
        "had_injuries": "yes",
        "injury_list": [{"injury_what": "Broke my left wrist", "injury_when": "2015"}],
    },
    "Work and activity": {
        "work": "Warehouse supervisor",
        "work_physical": "mostly_on_feet",
        "exercise": ["running"],
        "exercise.details": {"running": {"how_often": "week_3_5"}},
    },
    "Sex, weight and sleep": {
        "sex": "male",
        "weight_change": "gained",
        "weight_amount": "About 4 kg",
        "sleep_trouble": ["staying_asleep"],
        "sleep_why": "Cramps in my calves",
    },
    "Your visit": {"worries": "That it is a nerve problem", "hopes": "To know what I can do"},
}

# The pages after "Supplements, drinks and tobacco", in order.
AFTER_SUPPLEMENTS = [
    "Steroids, antibiotics and other medicines",
    "Allergies",
    "Health conditions",
    "Injuries and broken bones",
    "Work and activity",
    "Sex, weight and sleep",
    "Your visit",
]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request):
    return request.param


def test_whole_intake_resumed_after_closing_the_browser_changed_and_sent(
    invite, new_phone, javascript
):
    invitation, link = invite(NAME, BIRTH_DATE)
    sections = {
        section.title: section
        for response in invitation.intake.responses.select_related("questionnaire_version")
        for section in response.questionnaire_version.questionnaire.sections
    }
    first_phone = Patient(new_phone(javascript=javascript), link, BIRTH_DATE)
    first_phone.sign_in()
    expect(first_phone.page.get_by_role("link", name="Continue where you left off")).to_have_count(
        0
    )
    first_phone.follow("Start")
    answer_where(first_phone, javascript)
    answer_pages(first_phone, sections, ["How often and when"])
    answer_feelings(first_phone, sections, javascript)
    answer_pages(
        first_phone, sections, ["Cramps and sleep", "Tests and people seen", "What you have tried"]
    )
    answer_pages(
        first_phone, sections, ["Back and neck injuries", "Back and neck pain", "Your legs"]
    )
    first_phone.expect_heading("Other changes and care so far")
    # Halfway the patient closes the browser: the session cookie goes, the device key stays.
    kept = [c for c in first_phone.page.context.cookies() if c["name"] == "intake_device"]
    assert len(kept) == 1
    first_phone.page.context.close()

    second_phone = Patient(new_phone(javascript=javascript), link, BIRTH_DATE)
    second_phone.page.context.add_cookies(kept)
    second_phone.sign_in()
    second_phone.follow("Continue where you left off")
    second_phone.expect_heading("Other changes and care so far")
    assert second_phone.page.url.endswith("/patient/step/10/")
    answer_changes_and_care(second_phone, sections, javascript)
    answer_surgeries(second_phone, sections, javascript)
    answer_medicines(second_phone, javascript)
    answer_pages(second_phone, sections, AFTER_SUPPLEMENTS)
    second_phone.expect_heading("Check your answers")

    page = second_phone.page
    surgeries = page.locator(".review-section", has_text="Past surgeries").locator("ol > li")
    expect(surgeries).to_have_count(2)
    expect(surgeries.nth(0)).to_contain_text("Microdiscectomy on the left")
    expect(surgeries.nth(1)).to_contain_text("Right knee arthroscopy")
    medicines = page.locator(".review-section", has_text="Your medicines").locator("ol > li")
    expect(medicines).to_have_count(3)
    for index, name in enumerate(["Gabapentin", "Ibuprofen", "Atorvastatin"]):
        expect(medicines.nth(index)).to_contain_text(name)
    review = second_phone.body_text()
    for text in [*TYPED, "March 2024", "6 / 10", "3 drinks a day", "November 2020"]:
        assert text in review, text
    for area in ("Left calf", "Right calf", "Left foot or toes"):
        assert area in review, area
    assert "Somewhere else: Left big toe joint" in review
    assert "When did it stop?" not in review  # answered while hidden: dropped by the server

    change_caffeine(second_phone)
    second_phone.send()

    stored = {
        r.questionnaire_version.slug: r.answers
        for r in Response.objects.filter(intake=invitation.intake)
    }
    assert Intake.objects.get(pk=invitation.intake.pk).status == Intake.Status.SUBMITTED
    assert "stopped_when" not in stored["twitch_history"]
    assert stored["twitch_history"]["areas"] == ["calf_left", "calf_right", "foot_left", "other"]
    follow_up = stored["twitch_history"]["started_after.details"]["illness"]
    assert follow_up["what"] == "A bad cold in February"
    assert stored["medications"]["caffeine_per_day"] == 5
    assert [row["medicine_name"] for row in stored["medications"]["medicines"]] == [
        "Gabapentin",
        "Ibuprofen",
        "Atorvastatin",
    ]
    assert stored["health_background"]["work"] == "Warehouse supervisor"

    second_phone.page.goto(f"{second_phone.base_url}/patient/review/")
    second_phone.expect_heading("Thank you")
    for phone in (second_phone, Patient(new_phone(javascript=javascript), link, BIRTH_DATE)):
        phone.open_link()
        phone.expect_heading("Thank you")
        assert_shows_nothing_private(phone.page.content())
        phone.page.goto(f"{phone.base_url}/patient/review/")
        assert_shows_nothing_private(phone.page.content())


def assert_shows_nothing_private(html: str) -> None:
    assert NAME.split()[0] not in html
    assert NAME.split()[1] not in html
    for text in TYPED:
        assert text not in html, text


def answer_pages(patient: Patient, sections: dict, titles: list[str]) -> None:
    """Answer each page from PAGES, item by item in the definition's order, and press Next."""
    for title in titles:
        patient.expect_heading(title)
        answer_items(patient, sections[title].items, PAGES[title])
        press_next(patient)


def answer_where(patient: Patient, javascript: bool) -> None:
    """The body map page: the picture (with JavaScript) or the list, Other, a hidden answer."""
    patient.expect_heading("Where and since when")
    picture = patient.page.locator("[data-body-map=areas]")
    if javascript:
        for name in ("worse_side", "stopped_when"):
            expect(patient.item(name)).to_be_hidden()
        expect(patient.page.locator("#f-areas-other-text")).to_be_hidden()
        expect(patient.page.locator("#f-started_after-illness-details")).to_be_hidden()
        expect(picture).to_be_visible()
    else:  # every item is on the page; the server decides what counts
        for name in ("worse_side", "stopped_when"):
            expect(patient.item(name)).to_be_visible()
        expect(picture).to_be_hidden()  # the list is the control

    patient.choose("areas", "calf_left")
    expect(patient.item("worse_side")).to_be_visible()
    patient.choose("areas", "calf_left")  # unticked: the question goes away again
    if javascript:
        expect(patient.item("worse_side")).to_be_hidden()
        picture.locator("[data-area=calf_left]").tap()
        picture.locator("[data-area=calf_right]").tap()
        expect(patient.page.locator("#f-areas-calf_right")).to_be_checked()
    else:
        patient.choose("areas", "calf_left", "calf_right")
    patient.choose("areas", "foot_left", "other")
    patient.other_text("areas", "Left big toe joint")
    patient.choose("worse_side", "left")

    patient.choose("happening_now", "past")
    expect(patient.item("stopped_when")).to_be_visible()
    patient.month_year("stopped_when", "2023")
    patient.choose("happening_now", "now")
    if javascript:
        expect(patient.item("stopped_when")).to_be_hidden()
    patient.choose("since_range", "years_1_2")
    patient.month_year("started", "2024", "03")
    patient.choose("started_after", "illness")
    # The year typed before "It happens now" hid its question is named on the page, not
    # silently dropped; pressing Next again leaves it out. Without JavaScript, the follow-ups
    # of the option just ticked come with that page.
    if not javascript:
        patient.press("next")
        expect(patient.page.locator(".error-summary")).to_contain_text("only asked if you")
        expect(patient.page.locator("#f-started_after-note")).to_contain_text("a little more")
    expect(patient.page.locator("#f-started_after-illness-details")).to_be_visible()
    patient.type("started_after-illness-what", "A bad cold in February")
    if javascript:
        patient.press("next")
        expect(patient.page.locator(".error-summary")).to_contain_text("only asked if you")
    patient.next("How often and when")


def answer_feelings(patient: Patient, sections: dict, javascript: bool) -> None:
    """Follow-ups under each ticked feeling, and a body map its answers open."""
    title = "Other feelings in your legs and feet"
    patient.expect_heading(title)
    if javascript:
        expect(patient.item("feeling_areas")).to_be_hidden()
        expect(patient.page.locator("#f-leg_feelings-cramps-details")).to_be_hidden()
    given = {
        "leg_feelings": ["cramps", "tingling"],
        "leg_feelings.details": {
            "cramps": {"how_often": "weekly", "strength": "strong"},
            "tingling": {"how_often": "daily", "strength": "mild"},
        },
        "feeling_areas": ["foot_left"],
    }
    answer_items(patient, sections[title].items, given)
    expect(patient.item("feeling_areas")).to_be_visible()
    press_next(patient)


def answer_changes_and_care(patient: Patient, sections: dict, javascript: bool) -> None:
    if javascript:
        expect(patient.item("spine_levels")).to_be_hidden()
    given = {
        "bladder_bowel_change": "no",
        "groin_numbness": "no",
        "spine_problems": ["disc"],
        "spine_levels": "L5-S1 disc",
        "back_care_tried": ["physical_therapy"],
        "back_care_tried.details": {"physical_therapy": {"helped": "a_little"}},
    }
    answer_items(patient, sections["Other changes and care so far"].items, given)
    patient.next("Past surgeries")


def answer_surgeries(patient: Patient, sections: dict, javascript: bool) -> None:
    if javascript:
        expect(patient.page.locator("#surgery_list")).to_be_hidden()
    patient.choose("had_surgery", "yes")
    patient.choose("surgery_list-0-surgery_kind", "spine_decompression")
    patient.type("surgery_list-0-surgery_description", "Microdiscectomy on the left")
    patient.month_year("surgery_list-0-surgery_when", "2020", "11")
    patient.press("add:surgery_list")
    assert patient.entry_titles("surgery_list")[0] == (
        "Surgery 1: Taking pressure off a nerve in the spine (such as discectomy or laminectomy),"
        " November 2020"
    )
    patient.choose("surgery_list-1-surgery_kind", "joint_surgery")
    patient.type("surgery_list-1-surgery_description", "Right knee arthroscopy")
    patient.month_year("surgery_list-1-surgery_when", "2012")
    patient.next("Spine shots and procedures")
    answer_pages(patient, sections, ["Spine shots and procedures", "Offered and planned"])
    patient.expect_heading("Your medicines")


def answer_medicines(patient: Patient, javascript: bool) -> None:
    if javascript:
        expect(patient.page.locator("#medicines")).to_be_hidden()
    patient.choose("takes_medicines", "yes")
    for index, (name, dose) in enumerate(
        [("Gabapentin", "300 mg"), ("Ibuprofen", "400 mg"), ("Atorvastatin", "20 mg")]
    ):
        if index:
            patient.press("add:medicines")
        patient.type(f"medicines-{index}-medicine_name", name)
        patient.type(f"medicines-{index}-medicine_dose", dose)
        patient.choose(f"medicines-{index}-medicine_still_taking", "yes")
    patient.choose("past_tried", "no")
    patient.next("Supplements, drinks and tobacco")

    patient.choose("supplements", "magnesium")
    patient.type("caffeine_per_day", "3")
    patient.type("alcohol_per_week", "2")
    patient.choose("tobacco", "past")
    patient.next(AFTER_SUPPLEMENTS[0])


def change_caffeine(patient: Patient) -> None:
    """Change one answer from the review page, then press Next back through to the review."""
    patient.follow("Change Supplements, drinks and tobacco")
    patient.expect_heading("Supplements, drinks and tobacco")
    expect(patient.item("caffeine_per_day")).to_have_value("3")
    patient.type("caffeine_per_day", "5")
    for heading in [*AFTER_SUPPLEMENTS, "Check your answers"]:
        patient.next(heading)
    review = patient.body_text()
    assert "5 drinks a day" in review
    assert "3 drinks a day" not in review
