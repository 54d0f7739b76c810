"""The clinic's questionnaire preview on a phone: no axe violations, no sideways scrolling."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from .test_accessibility import violations
from .test_phone_layout import LAYOUT_PROBLEMS

pytestmark = pytest.mark.browser

PASSWORD = "a-long-invented-password-2026"
PAGES = [
    "/clinic/questionnaires/",
    "/clinic/questionnaires/twitch_history/1/preview/1/",  # a body map
    "/clinic/questionnaires/twitch_history/1/preview/6/",  # choices with details
    "/clinic/questionnaires/medications/1/preview/1/",
    "/clinic/questionnaires/health_background/1/preview/1/",
]


@pytest.fixture
def front_desk_page(page, live_server, transactional_db, django_user_model, questionnaires):
    user = django_user_model.objects.create_user("desk-invented", password=PASSWORD)
    user.user_permissions.add(*Permission.objects.filter(codename="view_intake"))
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(30_000)  # the live server's first page is slow
    page.goto(f"{live_server.url}/clinic/")
    page.fill("#id_username", "desk-invented")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Intakes")
    return page


@pytest.mark.parametrize("path", PAGES)
def test_preview_pages_pass_axe_and_fit_a_phone(front_desk_page, live_server, path):
    page = front_desk_page
    page.goto(f"{live_server.url}{path}")
    report = violations(page)
    problems = page.evaluate(LAYOUT_PROBLEMS, [390, "button, a.button"])
    assert not report, report
    assert not problems, "\n".join(problems)


def test_a_checked_preview_page_shows_the_problem_beside_the_question(front_desk_page, live_server):
    page = front_desk_page
    page.goto(f"{live_server.url}/clinic/questionnaires/twitch_history/1/preview/1/")
    expect(page.locator(".preview-banner")).to_contain_text("Preview — nothing is saved.")
    page.click("label[for='f-happening_now-past']")
    expect(page.locator("#f-stopped_when")).to_be_visible()
    page.click("label[for='f-happening_now-now']")
    expect(page.locator("#f-stopped_when")).to_be_hidden()
    page.click("label[for='f-happening_now-past']")
    page.fill("#f-stopped_when-year", "1800")
    with page.expect_navigation():
        page.click("text=Check this page")
    expect(page.locator(".error-summary")).to_contain_text("Enter a month and year")
    expect(page.locator("#f-stopped_when-year")).to_have_value("1800")
    assert violations(page) == ""
