"""Every kind of page a patient can see, each reached from a new link (JavaScript on), on the
shipped questionnaires (version 2): body maps, choices with details and About your health too.

The accessibility and phone-layout tests open each one; the names become screenshot files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from intake import ratelimit, services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake

from .patient_pages import Patient

WRONG_BIRTH_DATE = date(2001, 1, 1)


def fill_in_answers(patient: Patient, answers: dict[str, dict] = DEMO_ANSWERS) -> None:
    """Store invented answers to the questionnaires named, as if typed on another day."""
    for response in patient.intake.responses.select_related("intake", "questionnaire_version"):
        slug = response.questionnaire_version.slug
        if slug in answers:
            services.save_answers(
                response=response, answers=answers[slug], revision=response.revision
            )


def birth_date_check(patient: Patient) -> None:
    patient.open_link()
    patient.expect_heading("Confirm your date of birth")


def birth_date_wrong(patient: Patient) -> None:
    birth_date_check(patient)
    patient.confirm_birth_date(WRONG_BIRTH_DATE)
    expect(patient.page.locator(".error-summary")).to_contain_text("does not match")


def birth_date_locked(patient: Patient) -> None:
    for _ in range(4):
        ratelimit.count_attempt(f"birth-date:{patient.intake.pk}", window=900)
    birth_date_check(patient)
    patient.confirm_birth_date(WRONG_BIRTH_DATE)  # the fifth wrong try
    patient.expect_heading("Too many tries")


def start(patient: Patient) -> None:
    patient.sign_in()


def start_to_resume(patient: Patient) -> None:
    fill_in_answers(patient, {"twitch_history": DEMO_ANSWERS["twitch_history"]})
    services.record_progress(intake=patient.intake, resume_at="back_injury:injuries_page")
    patient.sign_in()
    expect(patient.page.get_by_role("link", name="Continue where you left off")).to_be_visible()


def step(number: int, heading: str, *, answered: bool = False) -> Callable[[Patient], None]:
    def open_step(patient: Patient) -> None:
        if answered:
            fill_in_answers(patient)
        patient.sign_in()
        patient.go_to_step(number, heading)

    return open_step


def other_text_open(patient: Patient) -> None:
    step(1, "Where and since when")(patient)
    patient.choose("areas", "face_left", "other")
    patient.other_text("areas", "Left little finger")
    expect(patient.page.locator("#f-areas-other-text")).to_be_visible()


def body_map(patient: Patient) -> None:
    """The picture drawn by the script; two areas tapped on it, ticked in the list below."""
    step(1, "Where and since when")(patient)
    picture = patient.page.locator("[data-body-map=areas]")
    picture.locator("[data-area=calf_left]").tap()
    picture.locator("[data-area=neck]").tap()
    expect(patient.page.locator("#f-areas-calf_left")).to_be_checked()
    expect(picture.locator("[data-area=neck]")).to_have_class("area is-chosen")


def details_open(patient: Patient) -> None:
    """Choices with details: the follow-ups open under each ticked option, answered."""
    step(6, "What you have tried", answered=True)(patient)
    expect(patient.page.locator("#f-tried-minerals-details")).to_be_visible()
    expect(patient.item("tried-minerals-notes")).to_have_value("Magnesium glycinate at night")


def details_unticked(patient: Patient) -> None:
    """An option with answered follow-ups unticked: kept in view, with a warning."""
    details_open(patient)
    patient.choose("tried", "minerals")
    expect(patient.page.locator("#f-tried-minerals-details .details-warning")).to_be_visible()


def answer_not_asked(patient: Patient) -> None:
    """A year typed, then its question hidden by a changed answer: named on return."""
    step(1, "Where and since when")(patient)
    patient.choose("areas", "calf_left")
    patient.choose("happening_now", "past")
    patient.month_year("stopped_when", "2020")
    patient.choose("happening_now", "now")
    patient.press("next")
    expect(patient.page.locator(".error-summary")).to_contain_text("only asked if you answered")
    expect(patient.item("stopped_when")).to_be_visible()


def repeating_group(patient: Patient) -> None:
    step(14, "Your medicines", answered=True)(patient)
    expect(patient.page.locator("#medicines fieldset.entry")).to_have_count(3)


def wrong_number(patient: Patient) -> None:
    step(15, "Supplements, drinks and tobacco")(patient)
    patient.type("caffeine_per_day", "abc")
    patient.press("next")
    expect(patient.page.locator(".error-summary")).to_be_visible()
    expect(patient.item("caffeine_per_day")).to_have_attribute("aria-invalid", "true")


def review(patient: Patient) -> None:
    fill_in_answers(patient)
    patient.sign_in()
    patient.page.goto(f"{patient.base_url}/patient/review/")
    patient.expect_heading("Check your answers")


def review_incomplete(patient: Patient) -> None:
    entry_without_kind = {"_id": "brwsr0000001", "surgery_description": "Knee scope"}
    fill_in_answers(
        patient, {"surgeries": {"had_surgery": "yes", "surgery_list": [entry_without_kind]}}
    )
    patient.sign_in()
    patient.page.goto(f"{patient.base_url}/patient/review/")
    patient.submit("text=Send my answers")
    expect(patient.page.locator(".error-summary")).to_contain_text("needs an answer")


def thank_you(patient: Patient) -> None:
    review(patient)
    patient.send()


def unknown_link(patient: Patient) -> None:
    response = patient.page.goto(f"{patient.base_url}/i/this-link-was-never-sent/")
    assert response.status == 404
    patient.expect_heading("This link does not work")


def expired_link(patient: Patient) -> None:
    Intake.objects.filter(pk=patient.intake.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = patient.page.goto(patient.link)
    assert response.status == 410
    patient.expect_heading("This link has expired")


def no_session(patient: Patient) -> None:
    response = patient.page.goto(f"{patient.base_url}/patient/step/1/")
    assert response.status == 403
    patient.expect_heading("Please open your link again")


def answered_elsewhere(patient: Patient) -> None:
    """Two questionnaires were answered on another phone: kept, not shown, answerable again."""
    other_phone = "b" * 64  # the stored hash of another device's key
    for response in patient.intake.responses.select_related("intake", "questionnaire_version"):
        slug = response.questionnaire_version.slug
        if slug in ("twitch_history", "medications"):
            services.save_answers(
                response=response, answers=DEMO_ANSWERS[slug], revision=0, device=other_phone
            )
    patient.sign_in()
    patient.page.goto(f"{patient.base_url}/patient/review/")
    expect(patient.page.get_by_role("button", name="Answer Muscle twitching again here"))


def finished_for_later(patient: Patient) -> None:
    step(2, "How often and when")(patient)
    patient.page.get_by_role("button", name="Save and finish later").click()
    patient.expect_heading("Your answers are saved")


def link_replaced(patient: Patient) -> None:
    patient.sign_in()
    services.reissue_invitation(intake=patient.intake, by=None)
    response = patient.page.goto(f"{patient.base_url}/patient/step/1/")
    assert response.status == 410
    patient.expect_heading("This link has been replaced")


PAGE_TYPES: dict[str, Callable[[Patient], None]] = {
    "01-birth-date-check": birth_date_check,
    "02-birth-date-wrong": birth_date_wrong,
    "03-birth-date-locked": birth_date_locked,
    "04-start": start,
    "05-start-to-resume": start_to_resume,
    "06-yes-no": step(16, "Steroids, antibiotics and other medicines"),
    "07-single-choice": step(2, "How often and when"),
    "08-multi-choice": step(9, "Your legs"),
    "09-other-text-open": other_text_open,
    "10-text": step(20, "Work and activity", answered=True),
    "11-long-text": step(22, "Your visit", answered=True),
    "12-integer": step(15, "Supplements, drinks and tobacco", answered=True),
    "13-month-year": step(1, "Where and since when", answered=True),
    "14-scale": step(8, "Back and neck pain", answered=True),
    "15-repeating-group": repeating_group,
    "16-wrong-number": wrong_number,
    "17-review": review,
    "18-review-incomplete": review_incomplete,
    "19-thank-you": thank_you,
    "20-unknown-link": unknown_link,
    "21-expired-link": expired_link,
    "22-no-session": no_session,
    "23-answered-elsewhere": answered_elsewhere,
    "24-finished-for-later": finished_for_later,
    "25-link-replaced": link_replaced,
    "26-answer-not-asked": answer_not_asked,
    "27-body-map": body_map,
    "28-details-open": details_open,
    "29-details-unticked": details_unticked,
    "30-feelings-and-where": step(3, "Other feelings in your legs and feet", answered=True),
    "31-cramps-body-map": step(4, "Cramps and sleep", answered=True),
    "32-health-conditions": step(18, "Health conditions", answered=True),
    "33-injuries-and-broken-bones": step(19, "Injuries and broken bones", answered=True),
    "34-sex-weight-and-sleep": step(21, "Sex, weight and sleep", answered=True),
}
