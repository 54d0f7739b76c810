"""Autosave (JavaScript on): typed answers are kept without pressing Next, and shown again only
on the device that typed them."""

import re

import pytest
from playwright.sync_api import expect

from .patient_pages import Patient

pytestmark = pytest.mark.browser


@pytest.fixture
def definitions(version_1_definitions):
    """The frozen version 1: this tests the pages, not the shipped content's wording or ids."""
    return version_1_definitions


CARE_PAGE = (4, "Tests and care so far")


def test_typed_answer_is_saved_without_next_and_kept_but_not_shown_on_another_device(
    patient, new_phone
):
    patient.sign_in()
    patient.go_to_step(*CARE_PAGE)
    patient.type("anything_else", "Twitching eases after a warm bath")
    expect(patient.page.locator(".save-status")).to_have_text("Saved")

    same_device_tab = patient.page.context.new_page()
    same_device_tab.goto(f"{patient.base_url}/patient/step/4/")
    expect(same_device_tab.locator("#f-anything_else")).to_have_value(
        "Twitching eases after a warm bath"
    )

    other_device = Patient(new_phone(), patient.link, patient.birth_date)
    other_device.sign_in()
    expect(other_device.page.locator(".notice-box")).to_contain_text(
        "Some of your answers were given on another phone"
    )
    other_device.page.goto(f"{patient.base_url}/patient/review/")
    expect(other_device.page.get_by_role("button", name="Answer Muscle twitching again here"))
    assert "warm bath" not in other_device.body_text()
    stored = patient.intake.responses.get(questionnaire_version__slug="twitch_history")
    assert stored.answers["anything_else"] == "Twitching eases after a warm bath"


def test_choices_are_autosaved_too(patient):
    patient.sign_in()
    patient.go_to_step(*CARE_PAGE)
    patient.choose("tests_done", "emg")
    patient.type("test_results", "The nerve test was normal")
    expect(patient.page.locator(".save-status")).to_have_text("Saved")

    patient.page.reload()  # what the server stored, drawn again
    expect(patient.page.locator("#f-tests_done-emg")).to_be_checked()
    expect(patient.item("test_results")).to_have_value("The nerve test was normal")


def test_next_pressed_while_an_autosave_is_on_its_way_saves_without_a_conflict(patient):
    """A slow phone: the autosave reached the server, its answer has not come back yet."""
    patient.sign_in()
    patient.go_to_step(*CARE_PAGE)
    held = []  # autosaves the server has stored, whose answer the page has not had yet
    patient.page.route("**/autosave/", lambda route: held.append((route, route.fetch())))
    patient.type("anything_else", "Worse after long runs")
    for _ in range(100):
        if held:
            break
        patient.page.wait_for_timeout(50)
    assert held, "no autosave was sent"

    patient.page.click("button[name=action][value=next]")
    route, response = held[0]
    with patient.page.expect_navigation():
        route.fulfill(response=response)
    patient.expect_heading("Back and neck injuries")
    expect(patient.page.locator(".notice-box")).to_have_count(0)
    patient.go_to_step(*CARE_PAGE)
    expect(patient.item("anything_else")).to_have_value("Worse after long runs")


def test_answers_typed_while_saving_fails_stay_on_the_page_and_are_saved_when_it_is_back(patient):
    """The server answers 503 for a while: nothing typed is lost, and Next does not leave."""
    patient.sign_in()
    patient.go_to_step(*CARE_PAGE)
    outage = lambda route: route.fulfill(status=503, headers={"Retry-After": "1"}, body="")  # noqa: E731
    patient.page.route("**/autosave/", outage)
    patient.type("anything_else", "Numb toes in the morning")
    status = patient.page.locator(".save-status")
    expect(status).to_have_text(re.compile("We could not save just now"))

    patient.page.click("button[name=action][value=next]")
    patient.expect_heading(CARE_PAGE[1])  # still here, with the answer in the box
    expect(patient.item("anything_else")).to_have_value("Numb toes in the morning")

    patient.page.unroute("**/autosave/", outage)
    expect(status).to_have_text("Saved", timeout=40_000)  # retried, waiting longer each time
    patient.intake.refresh_from_db()
    care = patient.intake.responses.get(questionnaire_version__slug="twitch_history")
    assert care.answers["anything_else"] == "Numb toes in the morning"
