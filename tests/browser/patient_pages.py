"""What a patient does on the intake pages, as Playwright moves: open the link, answer, press.

Form names follow intake/patient/forms.py: an item's id (`pain_now`), its "Other" text
(`areas.other`), a month/year's parts (`started-month`, `started-year`), an entry's items
(`medicines-0-medicine_name`). HTML ids are "f-" + the name, other characters made "-".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from intake.models import Intake

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


NAVIGATION_TIMEOUT = 30_000  # ms: the live server's first page is slow on a loaded machine


def html_id(name: str) -> str:
    return "f-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name)


@dataclass
class Patient:
    """One person on one device: a page, their link, their date of birth and their intake."""

    page: Page
    link: str
    birth_date: date
    intake: Intake | None = None

    @property
    def base_url(self) -> str:
        return self.link.split("/i/")[0]

    def open_link(self) -> None:
        self.page.goto(self.link)

    def confirm_birth_date(self, birth_date: date | None = None) -> None:
        given = birth_date or self.birth_date
        self.page.fill("#dob-day", str(given.day))
        self.page.fill("#dob-month", str(given.month))
        self.page.fill("#dob-year", str(given.year))
        self.submit("button[type=submit]")

    def sign_in(self) -> None:
        """Open the link and confirm the date of birth: the start page."""
        self.open_link()
        expect(self.page.locator("h1")).to_have_text("Confirm your date of birth")
        self.confirm_birth_date()
        self.expect_heading("Before your visit")

    def go_to_step(self, number: int, heading: str) -> None:
        self.page.goto(f"{self.base_url}/patient/step/{number}/")
        self.expect_heading(heading)

    def expect_heading(self, text: str) -> None:
        expect(self.page.locator("h1")).to_have_text(text)

    # Answering

    def choose(self, name: str, *values: str) -> None:
        """Tap the label of each option (a radio, or a checkbox that toggles)."""
        for value in values:
            self.page.click(f"label[for='{html_id(name)}-{value}']")

    def type(self, name: str, text: str) -> None:
        self.page.fill(f"#{html_id(name)}", text)

    def other_text(self, name: str, text: str) -> None:
        self.page.fill(f"#{html_id(name)}-other-text", text)

    def month_year(self, name: str, year: str, month: str = "") -> None:
        self.page.select_option(f"#{html_id(name)}-month", month)
        self.page.fill(f"#{html_id(name)}-year", year)

    # Buttons and links that load a new page

    def submit(self, selector: str) -> None:
        # A click waits for the page it starts to load: as long as a navigation may take (sending
        # the answers renders the PDF when no task worker runs), not the default 10 s.
        with self.page.expect_navigation():
            self.page.click(selector, timeout=NAVIGATION_TIMEOUT)

    def press(self, action: str) -> None:
        """Press a form button by its action: next, back, add:<group>, remove:<group>:<n>."""
        self.submit(f"button[name=action][value='{action}']")

    def next(self, heading: str) -> None:
        self.press("next")
        self.expect_heading(heading)

    def follow(self, link_name: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link_name, exact=True).click()

    def send(self) -> None:
        self.submit("text=Send my answers")
        self.expect_heading("Thank you")

    # What is on the page

    def item(self, name: str):
        """An item's fieldset, or the input of a text box: hidden when its question is."""
        return self.page.locator(f"#{html_id(name)}")

    def entry_titles(self, group: str) -> list[str]:
        return self.page.locator(f"#{group} fieldset.entry > legend").all_inner_texts()

    def body_text(self) -> str:
        return self.page.locator("body").inner_text()
