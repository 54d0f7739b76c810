"""The summary and PDF of choices with details (one table) and of a body map (a picture)."""

import io
from datetime import date

import pdfplumber
import pytest

from intake import services
from intake.models import Intake
from intake.summary.builder import AnsweredQuestionnaire, Table, build_summary
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import render_pdf

from ..conftest import ROOT
from ..definitions import store_new_kinds
from .test_pdf_fit import MARGIN_X, chars_off_the_page

ANSWERS = {
    "areas": ["calf_left", "calf_right", "low_back", "eyelid_left", "other"],
    "areas.other": "Little toe",
    "tried": ["magnesium", "massage", "other"],
    "tried.other": "Cold showers",
    "tried.details": {
        "magnesium": {"_id": "aaaaaa111111", "helped": "worse", "how_worse": "Cramps at night"},
        "massage": {"_id": "bbbbbb222222", "helped": "a_little", "when": "2024-03"},
        "other": {"_id": "cccccc333333", "helped": "too_soon"},
    },
}


@pytest.fixture
def new_kinds_intake(db):
    version = store_new_kinds()
    invitation = services.create_invitation(
        patient_name="Sam Examplewood",
        date_of_birth=date(1980, 2, 3),
        questionnaire_slugs=["new_kinds"],
    )
    response = invitation.intake.responses.get()
    saved, cleaned = services.save_answers(response=response, answers=ANSWERS, revision=0)
    assert cleaned.errors == {}
    return Intake.objects.get(pk=invitation.intake.pk), version


def summary_of(version, answers):
    answered = AnsweredQuestionnaire("new_kinds", 1, version.questionnaire, answers)
    return build_summary([answered]).questionnaires[0]


def test_choices_with_details_print_as_one_table_a_row_per_chosen_option(new_kinds_intake):
    _, version = new_kinds_intake
    table = summary_of(version, ANSWERS).sections[1].rows[0]
    assert isinstance(table, Table)
    assert table.title == "What have you tried for the twitching?"
    assert table.columns == ["Tried", "Helped", "Started", "What got worse"]
    assert table.entries == [
        ["Magnesium", "It made it worse", "—", "Cramps at night"],
        ["Massage", "Yes, a little", "March 2024", ""],
        ["Something else: Cold showers", "Too soon to tell", "—", ""],
    ]
    assert table.entry_ids == ["aaaaaa111111", "bbbbbb222222", "cccccc333333"]


def test_a_body_map_answer_carries_its_picture_and_its_words(new_kinds_intake):
    _, version = new_kinds_intake
    row = summary_of(version, ANSWERS).sections[0].rows[0]
    assert row.answer == [
        "Left calf",
        "Right calf",
        "Low back",
        "Left eyelid",
        "Somewhere else: Little toe",
    ]
    assert row.figure.chosen_labels == ("Left calf", "Right calf", "Low back", "Left eyelid")


def test_the_summary_page_shows_the_figure_with_alternative_text(new_kinds_intake):
    intake, _ = new_kinds_intake
    html = render_document_html(intake_document(intake))
    assert (
        'role="img" aria-label="Body picture, front and back, with these areas filled: '
        'Left calf, Right calf, Low back, Left eyelid."'
    ) in html
    assert html.count('class="area is-chosen"') == 4


def test_the_pdf_prints_the_figure_inside_the_page_and_every_answer_in_words(new_kinds_intake):
    intake, _ = new_kinds_intake
    pdf = render_pdf(render_document_html(intake_document(intake)))
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "body-map.pdf").write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
        shapes = [shape for page in document.pages for shape in page.curves + page.rects]
        outside = [chars_off_the_page(page) for page in document.pages]
        width = document.pages[0].width
    for words in (
        "Left calf",
        "Somewhere else: Little toe",
        "Tried: Magnesium",
        "Helped: It made it worse",
        "What got worse: Cramps at night",
        "Started: March 2024",
        "Something else: Cold showers",
    ):
        assert words in text
    assert "YourrightYourleftYourleftYourright" in "".join(text.split())  # on the figure
    assert outside == [[]] * len(outside)
    assert len(shapes) > 40  # the figure's areas and outline were drawn
    assert all(s["x0"] >= MARGIN_X - 1 and s["x1"] <= width - MARGIN_X + 1 for s in shapes)
