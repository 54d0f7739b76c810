"""The clinician's reading of the PDF: at a glance on page 1, headings kept with what follows."""

import io
import re

import pdfplumber
import pytest

from intake.summary.builder import Table

from .pdf_chars import Page, lowest_line, pdf_pages
from .test_pdf_fit import BODY_BOTTOM, BODY_TOP, EDGE_SLACK, body_text, chars_off_the_page, squeezed

# pytest-django sets up the test database only for a run that asks for it; the shared
# renders need it even when these are the only tests run.
pytestmark = pytest.mark.django_db


def headings(document) -> set[str]:
    """Every heading the summary prints: fixed ones, questionnaires, sections, entries."""
    texts = {"At a glance", "Key items"}
    for questionnaire in document.summary.questionnaires:
        texts.add(questionnaire.title)
        for section in questionnaire.sections:
            texts.add(section.title)
            tables = [row for row in section.rows if isinstance(row, Table)]
            texts |= {f"{table.title} ({len(table.entries)})" for table in tables}
    return {" ".join(text.split()) for text in texts}


def within_body(page, char: dict) -> bool:
    return BODY_TOP - EDGE_SLACK <= char["top"] <= page.height - BODY_BOTTOM


def last_body_lines(pages: list[Page]) -> list[str]:
    """Return the last line of the body of each page, the running header and footer left out."""
    return [lowest_line([char for char in page.chars if within_body(page, char)]) for page in pages]


def test_page_one_opens_with_the_patients_answers_at_a_glance_then_the_key_items(demo_render):
    with pdfplumber.open(io.BytesIO(demo_render.pdf)) as document:
        first = " ".join(document.pages[0].extract_text().split())
    glance = first.split("At a glance", 1)[1].split("Key items", 1)[0]
    assert " ".join(glance.split()) == (
        "In their own words The twitching is worst after long runs. "
        "What worries them That the twitching means a nerve is being damaged. "
        "What they hope for To know if my back has anything to do with it, and what I can do. "
        "Where Left calf, Right calf, Back of the left knee, Left foot or toes, "
        "Somewhere else: Left big toe joint "
        # the picture's labels, as text extraction reads them (the figure's /Alt says it whole)
        "YourrightYourleft YourleftYourright Front Back "
        "Since 1 to 2 years ago · March 2024 How often Every day Trend Getting worse"
    )
    key_items = first.split("Key items", 1)[1].split("Muscle twitching", 1)[0]
    assert "Have you noticed any change in your bladder or" in key_items


def test_the_demo_prints_inside_the_page_with_no_label_for_a_question_not_asked(demo_render):
    pdf = demo_render.pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert [chars_off_the_page(page) for page in document.pages] == [[]] * len(document.pages)
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    knee = text.split("Kind: Joint surgery", 1)[1].split("Problems after", 1)[0]
    assert "Side: Right" in knee
    assert "Spine levels" not in knee  # asked only of spine surgeries
    assert re.search(r"Surgeries \(2\) 1\. Kind: Taking pressure off a nerve in the spine", text)


def test_no_page_of_the_demo_ends_with_a_heading(demo_render):
    assert (
        set(last_body_lines(pdf_pages(demo_render.pdf))) & headings(demo_render.document) == set()
    )


@pytest.mark.xdist_group("longest-with-spaces")  # the PDFs the fit test reads too
@pytest.mark.parametrize("turn", [0, 1])
def test_the_longest_answers_start_at_a_glance_on_page_one_and_no_page_ends_with_a_heading(
    longest_render, turn
):
    rendered = longest_render(spaces=True, turn=turn)
    first = squeezed(body_text(rendered.pages[0]))
    assert squeezed("At a glance In their own words") in first
    ends = last_body_lines(rendered.pages)
    assert len(ends) > 5
    assert set(ends) & headings(rendered.document) == set()
