"""A whole intake on a phone, with and without JavaScript: answer all four questionnaires,
leave halfway and close the browser, come back on the same phone, review, change an answer,
send; then the link shows nothing."""

from datetime import date

import pytest
from playwright.sync_api import expect

from intake.models import Intake, Response

from .patient_pages import Patient

pytestmark = pytest.mark.browser

NAME = "Quinn Walkthrough"
BIRTH_DATE = date(1968, 10, 5)

# Every text the patient types; none may be shown once the answers are sent.
TYPED = [
    "Behind the left knee",
    "MRI showed a small bulge at L5-S1",
    "Worst after long runs",
    "L5-S1 disc",
    "Microdiscectomy on the left",
    "Right knee arthroscopy",
    "Gabapentin",
    "300 mg",
    "Ibuprofen",
    "Atorvastatin",
]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request):
    return request.param


def test_whole_intake_resumed_after_closing_the_browser_changed_and_sent(
    invite, new_phone, javascript
):
    invitation, link = invite(NAME, BIRTH_DATE)
    first_phone = Patient(new_phone(javascript=javascript), link, BIRTH_DATE)
    first_phone.sign_in()
    expect(first_phone.page.get_by_role("link", name="Continue where you left off")).to_have_count(
        0
    )
    first_phone.follow("Start")
    answer_twitching(first_phone, javascript)
    answer_back_injuries_and_pain(first_phone)
    # Halfway the patient closes the browser: the session cookie goes, the device key stays.
    kept = [c for c in first_phone.page.context.cookies() if c["name"] == "intake_device"]
    assert len(kept) == 1
    first_phone.page.context.close()

    second_phone = Patient(new_phone(javascript=javascript), link, BIRTH_DATE)
    second_phone.page.context.add_cookies(kept)
    second_phone.sign_in()
    second_phone.follow("Continue where you left off")
    second_phone.expect_heading("Other changes and care so far")
    assert second_phone.page.url.endswith("/patient/step/7/")
    answer_changes_and_care(second_phone, javascript)
    answer_surgeries(second_phone, javascript)
    answer_medicines(second_phone, javascript)

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
    assert "Other: Behind the left knee" in review
    assert "1 to 5 years ago" not in review  # answered while hidden: dropped by the server
    assert "About how long ago did it start?" not in review

    change_caffeine(second_phone)
    second_phone.send()

    stored = {
        r.questionnaire_version.slug: r.answers
        for r in Response.objects.filter(intake=invitation.intake)
    }
    assert Intake.objects.get(pk=invitation.intake.pk).status == Intake.Status.SUBMITTED
    assert "since_range" not in stored["twitch_history"]
    assert stored["medications"]["caffeine_per_day"] == 5
    assert [row["medicine_name"] for row in stored["medications"]["medicines"]] == [
        "Gabapentin",
        "Ibuprofen",
        "Atorvastatin",
    ]

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


def answer_twitching(patient: Patient, javascript: bool) -> None:
    patient.expect_heading("Where and since when")
    if javascript:
        for name in ("worse_side", "started", "since_range"):
            expect(patient.item(name)).to_be_hidden()
        expect(patient.page.locator("#f-areas-other-text")).to_be_hidden()
    else:  # every item is on the page; the server decides what counts
        for name in ("worse_side", "started", "since_range"):
            expect(patient.item(name)).to_be_visible()

    patient.choose("areas", "left_calf")
    if javascript:
        expect(patient.item("worse_side")).to_be_hidden()
    patient.choose("areas", "right_calf")
    expect(patient.item("worse_side")).to_be_visible()
    patient.choose("areas", "left_calf")  # unticked: the question goes away again
    if javascript:
        expect(patient.item("worse_side")).to_be_hidden()
    patient.choose("areas", "left_calf", "other")
    patient.other_text("areas", "Behind the left knee")
    patient.choose("worse_side", "left")

    patient.choose("know_start", "no")
    expect(patient.item("since_range")).to_be_visible()
    if javascript:
        expect(patient.item("started")).to_be_hidden()
    patient.choose("since_range", "years_1_5")
    patient.choose("know_start", "yes")
    expect(patient.item("started")).to_be_visible()
    if javascript:
        expect(patient.item("since_range")).to_be_hidden()
    patient.month_year("started", "2024", "03")
    # The range chosen before "Yes" hid it is named on the page, not silently dropped; a chosen
    # radio button cannot be unticked, so pressing Next again leaves it out.
    patient.press("next")
    expect(patient.page.locator(".error-summary")).to_contain_text("only asked if you answered")
    patient.next("How often and when")

    patient.choose("how_often", "daily")
    patient.choose("trend", "worse")
    patient.choose("when_happens", "at_rest", "in_bed")
    patient.choose("visible", "yes")
    patient.choose("bother", "6")
    patient.next("Other feelings in the same area")

    if javascript:
        expect(patient.item("night_cramp_nights")).to_be_hidden()
    patient.choose("other_symptoms", "cramps")
    expect(patient.item("night_cramp_nights")).to_be_visible()
    patient.type("night_cramp_nights", "3")
    patient.choose("woken_from_sleep", "sometimes")
    patient.choose("calf_torn", "no")
    patient.next("Tests and care so far")

    patient.choose("tests_done", "mri_low_back")
    patient.type("test_results", "MRI showed a small bulge at L5-S1")
    patient.choose("clinicians_seen", "family_doctor")
    patient.choose("tried_anything", "no")
    patient.type("anything_else", "Worst after long runs")
    patient.next("Back and neck injuries")


def answer_back_injuries_and_pain(patient: Patient) -> None:
    patient.choose("ever_injured", "no")
    patient.next("Pain now")
    patient.choose("back_pain_now", "4")
    patient.choose("neck_pain_now", "1")
    patient.choose("leg_spread", "left")
    patient.choose("leg_feelings", "tingling")
    patient.choose("leg_how_far", "calf")
    patient.choose("worse_with", "sitting")
    patient.next("Other changes and care so far")


def answer_changes_and_care(patient: Patient, javascript: bool) -> None:
    patient.choose("bladder_bowel_change", "no")
    patient.choose("groin_numbness", "no")
    if javascript:
        expect(patient.item("spine_levels")).to_be_hidden()
    patient.choose("spine_problems", "disc")
    patient.type("spine_levels", "L5-S1 disc")
    patient.choose("back_care_tried", "physical_therapy")
    patient.next("Past surgeries")


def answer_surgeries(patient: Patient, javascript: bool) -> None:
    if javascript:
        expect(patient.page.locator("#surgery_list")).to_be_hidden()
    patient.choose("had_surgery", "yes")
    patient.choose("surgery_list-0-surgery_kind", "spine_decompression")
    patient.type("surgery_list-0-surgery_description", "Microdiscectomy on the left")
    patient.month_year("surgery_list-0-surgery_when", "2020", "11")
    patient.press("add:surgery_list")
    assert patient.entry_titles("surgery_list")[0].startswith("Surgery 1: Spine decompression")
    patient.choose("surgery_list-1-surgery_kind", "joint_surgery")
    patient.type("surgery_list-1-surgery_description", "Right knee arthroscopy")
    patient.month_year("surgery_list-1-surgery_when", "2012")
    patient.next("Spine procedures and planned surgery")

    patient.choose("had_spine_procedure", "no")
    patient.choose("surgery_planned", "no")
    patient.next("Your medicines")


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
    patient.next("Supplements, drinks and tobacco")

    patient.choose("supplements", "magnesium")
    patient.type("caffeine_per_day", "3")
    patient.type("alcohol_per_week", "2")
    patient.choose("tobacco", "never")
    patient.next("In the last 3 months")

    for name in ("steroid_recent", "antibiotic_recent", "statin_recent", "blood_thinner_recent"):
        patient.choose(name, "no")
    patient.next("Allergies")

    patient.choose("has_allergies", "no")
    patient.next("Check your answers")


def change_caffeine(patient: Patient) -> None:
    """Change one answer from the review page, then press Next back through to the review."""
    patient.follow("Change Supplements, drinks and tobacco")
    patient.expect_heading("Supplements, drinks and tobacco")
    expect(patient.item("caffeine_per_day")).to_have_value("3")
    patient.type("caffeine_per_day", "5")
    patient.next("In the last 3 months")
    patient.next("Allergies")
    patient.next("Check your answers")
    review = patient.body_text()
    assert "5 drinks a day" in review
    assert "3 drinks a day" not in review
