"""At a glance on a phone: "Where" as a small body picture beside the areas in words.

The screenshot at 390 x 844 is saved in build/screenshots/clinic-glance-body-map.png.
"""

from datetime import date

import pytest

from intake import services

from ..definitions import GLANCE_WHERE, store_definition
from ..summary.test_glance_body_map import ANSWERS, DESCRIPTION, WORDS
from .test_clinic_phone import LAYOUT_PROBLEMS, PASSWORD, SCREENSHOTS, WIDTH, clinician  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_summary_on_a_phone_shows_where_as_a_small_picture_and_words(
    page,
    live_server,
    clinician,  # noqa: F811
):
    store_definition(GLANCE_WHERE)
    invitation = services.create_invitation(
        patient_name="Robin Inventedson",
        date_of_birth=date(1975, 6, 7),
        questionnaire_slugs=["glance_where"],
    )
    services.save_answers(response=invitation.intake.responses.get(), answers=ANSWERS, revision=0)
    intake = services.submit_intake(intake=invitation.intake)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "dr-invented")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{live_server.url}/clinic/intakes/{intake.pk}/summary/")

    glance = page.locator(".at-a-glance .glance-figure")
    figure = glance.get_by_role("img", name=DESCRIPTION)
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    assert 80 <= box["width"] <= 120  # small beside the words, yet the areas can be told apart
    assert glance.locator(".glance-areas").inner_text() == WORDS
    assert page.evaluate(LAYOUT_PROBLEMS, WIDTH) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#glance-title").evaluate("heading => heading.scrollIntoView()")
    page.screenshot(path=SCREENSHOTS / "clinic-glance-body-map.png", scale="css")
