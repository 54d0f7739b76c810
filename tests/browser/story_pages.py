"""Enter a story's answers through the patient pages, page by page, each item by its type.

The pages come in the questionnaires' order, skipping sections whose conditions the story's
answers do not meet; on each page the items are answered in the definition's order, so a
question that an earlier answer opens is on screen by the time it is answered.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from intake.questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX
from intake.questionnaires.conditions import is_shown
from intake.questionnaires.schema import GroupItem

from .patient_pages import Patient, html_id


def enter_answers(patient: Patient, questionnaires: list, answers: dict[str, dict]) -> None:
    """Answer every page of the questionnaires given, in order, and reach the review page."""
    for questionnaire in questionnaires:
        given = answers.get(questionnaire.id, {})
        for section in questionnaire.sections:
            if not is_shown(section.show_if, given):
                continue
            patient.expect_heading(section.title)
            answer_items(patient, section.items, given)
            press_next(patient)
    patient.expect_heading("Check your answers")


def press_next(patient: Patient) -> None:
    heading = patient.page.locator("h1").inner_text()
    patient.press("next")
    errors = patient.page.locator(".error-summary")
    if errors.count():
        raise AssertionError(f"{heading}: {' '.join(errors.inner_text().split())}")


def answer_items(patient: Patient, items, given: dict[str, Any]) -> None:
    for item in items:
        if item.type == "display":
            continue
        if isinstance(item, GroupItem) and not item.repeats:
            answer_items(patient, item.items, given)
        elif isinstance(item, GroupItem):
            answer_entries(patient, item, given.get(item.id) or [])
        elif item.id in given:
            answer(patient, item, item.id, given)


def answer_entries(patient: Patient, group: GroupItem, entries: list[dict]) -> None:
    for index, entry in enumerate(entries):
        if index:
            patient.press(f"add:{group.id}")
        for child in group.items:
            if child.id in entry:
                answer(patient, child, f"{group.id}-{index}-{child.id}", entry, key=child.id)


def answer(patient: Patient, item, name: str, given: dict, key: str | None = None) -> None:
    """Answer one item as a patient would: tap labels, type, pick a month."""
    key = key or item.id
    value = given[key]
    if item.type in ("yes_no", "single_choice", "scale"):
        patient.choose(name, str(value))
    elif item.type == "multi_choice":
        patient.choose(name, *value)
    elif item.type == "month_year":
        year, _, month = str(value).partition("-")
        patient.month_year(name, year, month)
    elif item.type in ("text", "long_text", "integer", "decimal", "date"):
        patient.type(name, str(value))
    else:
        raise AssertionError(f"no way to enter a {item.type} item")
    other = given.get(key + OTHER_SUFFIX)
    if other:
        expect(patient.page.locator(f"#{html_id(name)}-other-text")).to_be_visible()
        patient.other_text(name, other)
    details = given.get(key + DETAILS_SUFFIX) or {}
    if details:
        show_follow_ups(patient, name, next(iter(details)))
    for option, follow_ups in details.items():
        for child in item.details:
            if child.id in follow_ups:
                answer(patient, child, f"{name}-{option}-{child.id}", follow_ups)


def show_follow_ups(patient: Patient, name: str, option: str) -> None:
    """Without JavaScript, a ticked option's follow-ups come with the page Next sends back."""
    if patient.page.locator(f"#{html_id(name)}-{option}-details").count():
        return  # on the page already (the script copied them, or the tick was saved before)
    heading = patient.page.locator("h1").inner_text()
    patient.press("next")
    patient.expect_heading(heading)
    expect(patient.page.locator(f"#{html_id(name)}-note")).to_contain_text("a little more")
