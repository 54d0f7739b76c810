"""Repeating groups on a phone: entries added, edited and removed all reach the review page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def definitions(version_1_definitions):
    """The frozen version 1: this tests the pages, not the shipped content's wording or ids."""
    return version_1_definitions


MEDICINES_PAGE = (10, "Your medicines")
SURGERIES_PAGE = (8, "Past surgeries")


def fill_medicine(patient, index: int, name: str, dose: str) -> None:
    patient.type(f"medicines-{index}-medicine_name", name)
    patient.type(f"medicines-{index}-medicine_dose", dose)


def test_added_edited_and_removed_medicines_reach_the_review(patient):
    patient.sign_in()
    patient.go_to_step(*MEDICINES_PAGE)
    patient.choose("takes_medicines", "yes")
    fill_medicine(patient, 0, "Metformin", "500 mg")
    patient.press("add:medicines")
    fill_medicine(patient, 1, "Naproxen", "250 mg")
    patient.press("add:medicines")
    fill_medicine(patient, 2, "Levothyroxine", "50 mcg")
    patient.press("add:medicines")
    assert patient.entry_titles("medicines") == [
        "Medicine 1: Metformin, 500 mg",
        "Medicine 2: Naproxen, 250 mg",
        "Medicine 3: Levothyroxine, 50 mcg",
        "Medicine 4",
    ]

    patient.press("remove:medicines:1")
    assert patient.entry_titles("medicines") == [
        "Medicine 1: Metformin, 500 mg",
        "Medicine 2: Levothyroxine, 50 mcg",
    ]
    patient.type("medicines-0-medicine_dose", "1000 mg")  # edit an entry kept
    patient.press("add:medicines")
    fill_medicine(patient, 2, "Sertraline", "25 mg")
    patient.choose("medicines-2-medicine_how_often", "once_daily")
    patient.next("Supplements, drinks and tobacco")

    patient.page.goto(f"{patient.base_url}/patient/review/")
    patient.expect_heading("Check your answers")
    section = patient.page.locator(".review-section", has_text="Your medicines")
    medicines = section.locator("ol > li")
    expect(medicines).to_have_count(3)
    expect(medicines.nth(0)).to_contain_text("Metformin")
    expect(medicines.nth(0)).to_contain_text("1000 mg")
    expect(medicines.nth(1)).to_contain_text("Levothyroxine")
    expect(medicines.nth(2)).to_contain_text("Sertraline")
    expect(medicines.nth(2)).to_contain_text("Once a day")
    expect(section).not_to_contain_text("Naproxen")
    expect(section).not_to_contain_text("500 mg")


def test_removing_an_entry_keeps_the_others_and_their_ids(patient):
    patient.sign_in()
    patient.go_to_step(*SURGERIES_PAGE)
    patient.choose("had_surgery", "yes")
    for index, description in enumerate(["Hip replacement", "Hernia repair", "Tonsils out"]):
        if index:
            patient.press("add:surgery_list")
        patient.choose(f"surgery_list-{index}-surgery_kind", "other")
        patient.other_text(f"surgery_list-{index}-surgery_kind", description)
    patient.press("add:surgery_list")
    ids = patient.page.locator("input[name$='-_id']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )

    patient.press("remove:surgery_list:0")
    assert patient.entry_titles("surgery_list") == [
        "Surgery 1: Other: Hernia repair",
        "Surgery 2: Other: Tonsils out",
    ]
    kept = patient.page.locator("input[name$='-_id']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )
    assert kept == ids[1:3]

    patient.page.goto(f"{patient.base_url}/patient/review/")
    section = patient.page.locator(".review-section", has_text="Past surgeries")
    expect(section.locator("ol > li")).to_have_count(2)
    expect(section).to_contain_text("Other: Hernia repair")
    expect(section).to_contain_text("Other: Tonsils out")
    expect(section).not_to_contain_text("Hip replacement")
