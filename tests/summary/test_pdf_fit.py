"""Everything the patient typed fits the PDF page, even the longest legal answer in every field."""

import io
import re

import pdfplumber
import pytest

from intake import catalog
from intake.questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX, clean_answers
from intake.questionnaires.schema import NO_ANSWER_TYPES, GroupItem

from ..conftest import DEFS, ROOT
from .conftest import TODAY
from .longest_answers import Filler, longest_answers

# pytest-django sets up the test database only for a run that asks for it; the shared
# renders need it even when these are the only tests run.
pytestmark = pytest.mark.django_db

TURNS = 2  # yes/no and single-choice answers that, between them, open every item
MM = 72 / 25.4
# The page margins, read from pdf.css: `margin: <top> <left and right> <bottom>`.
_MARGINS = re.search(
    r"@page \{\s*margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm;",
    (ROOT / "intake" / "static" / "intake" / "pdf.css").read_text(),
)
BODY_TOP, MARGIN_X, BODY_BOTTOM = (float(size) * MM for size in _MARGINS.groups())
PRINTER_EDGE = 5 * MM
EDGE_SLACK = 0.5  # points


def answerable_keys(questionnaire) -> set[str]:
    """Every key an answer can be stored under: items, entry items, follow-ups, "Other" texts."""
    keys = set()
    for _, _, item in questionnaire.iter_items():
        if item.type in NO_ANSWER_TYPES or (isinstance(item, GroupItem) and not item.repeats):
            continue
        keys.add(item.id)
        if any(option.other for option in getattr(item, "options", ())):
            keys.add(item.id + OTHER_SUFFIX)
        for detail in getattr(item, "details", None) or ():
            if detail.type not in NO_ANSWER_TYPES:
                keys.add(f"{item.id}{DETAILS_SUFFIX}.{detail.id}")
    return keys


def stored_keys(answers: dict) -> set[str]:
    keys = set(answers)
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            keys |= {name for entry in value for name in entry if name != "_id"}
        if key.endswith(DETAILS_SUFFIX):
            keys -= {key}
            keys |= {f"{key}.{name}" for entry in value.values() for name in entry if name != "_id"}
    return keys


@pytest.mark.parametrize("spaces", [True, False], ids=["with-spaces", "unbroken"])
def test_the_longest_answers_fill_every_item_of_every_questionnaire(spaces):
    loaded, errors = catalog.validate_files(catalog.definition_files(DEFS))
    assert not errors
    for definition in loaded:
        questionnaire = definition.questionnaire
        answered = set()
        for turn in range(TURNS):
            raw = longest_answers(
                questionnaire, filler=Filler(spaces=spaces), turn=turn, today=TODAY
            )
            cleaned = clean_answers(questionnaire, raw, today=TODAY)
            assert cleaned.errors == {}, questionnaire.id
            answered |= stored_keys(cleaned.answers)
        assert answered == answerable_keys(questionnaire), questionnaire.id


def chars_off_the_page(page) -> list[tuple[str, int, int]]:
    """Return the characters outside the printable area, or astride the body's edge.

    Printable: between the left and right margins of pdf.css, and at least 5 mm from the top
    and bottom edges (the most a printer leaves blank). The running header and footer stay in
    their margins, off the body. Half a point is allowed at each edge: a glyph's box (the font's
    ascent and descent) is a little taller than a line of pdf.css's line-height.
    """
    left, right = MARGIN_X - EDGE_SLACK, page.width - MARGIN_X + EDGE_SLACK
    top, bottom = PRINTER_EDGE, page.height - PRINTER_EDGE
    body_top, body_bottom = BODY_TOP - EDGE_SLACK, page.height - BODY_BOTTOM + EDGE_SLACK
    return [
        (char["text"], round(char["x0"]), round(char["top"]))
        for char in page.chars
        if char["x0"] < left
        or char["x1"] > right
        or char["top"] < top
        or char["bottom"] > bottom
        or char["top"] < body_top < char["bottom"]
        or char["top"] < body_bottom < char["bottom"]
    ]


def body_text(page) -> str:
    """Return the text between the running header and footer, in the order it was written.

    Written order keeps a question's text and its answer's apart even where they print side by
    side, and lets an answer continue from one page to the next.
    """
    top, bottom = BODY_TOP - EDGE_SLACK, page.height - BODY_BOTTOM
    return "".join(char["text"] for char in page.chars if top <= char["top"] <= bottom)


def squeezed(text: str) -> str:
    return "".join(text.split())


# Each filler's two PDFs render in one process, beside the other filler's: see longest_render.
@pytest.mark.parametrize("turn", range(TURNS))
@pytest.mark.parametrize(
    "spaces",
    [
        pytest.param(True, id="with-spaces", marks=pytest.mark.xdist_group("longest-with-spaces")),
        pytest.param(False, id="unbroken", marks=pytest.mark.xdist_group("longest-unbroken")),
    ],
)
def test_every_character_of_the_longest_answers_prints_inside_the_page(
    longest_render, spaces, turn
):
    rendered = longest_render(spaces=spaces, turn=turn)
    pdf, texts = rendered.pdf, rendered.texts
    out = ROOT / "build" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"longest-{'spaces' if spaces else 'unbroken'}-{turn}.pdf").write_bytes(pdf)
    pages = rendered.pages
    outside = {n: chars_off_the_page(page) for n, page in enumerate(pages, start=1)}
    outside = {number: chars[:3] for number, chars in outside.items() if chars}
    printed = squeezed("".join(body_text(page) for page in pages))
    # WeasyPrint writes a page's list markers before its text: where an answer runs on from the
    # page before, the markers ("•", "3.") come first in written order, not inside the answer.
    printed = re.sub(r"•|\d+\.", "", printed)
    assert outside == {}, f"characters off the page (page: the first few): {outside}"
    missing = [text[:12] for text in texts if squeezed(text) not in printed]
    assert missing == [], f"{len(missing)} of {len(texts)} answers not printed whole: {missing}"
    assert len(texts) > (250 if turn == 0 else 10)  # turn 1 answers "No" to most questions


def test_each_entry_prints_numbered_its_first_line_then_the_rest_under_a_short_heading(
    demo_render,
):
    pdf = demo_render.pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    assert (
        "Medicines (3) "
        "1. Medicine: Gabapentin · Dose: 300 mg "
        "How often: Three times a day For: Leg tingling Started: May 2024 Still taking: Yes "
        "2. Medicine: Ibuprofen · Dose: 400 mg "
        "How often: Only when needed For: Back pain Started: — Still taking: Yes "
    ) in text
    assert "Tell us about each medicine." not in text  # the heading is a title, not the ask
    # A question the entry did not ask (spine levels of a knee surgery) is left out.
    assert "Side: Right Metal hardware: Not sure" in text
