"""At a glance, "Where" drawn as the body map: a small picture, chosen areas filled, and words."""

import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date

import pdfplumber
import pikepdf
import pytest

from intake import services
from intake.questionnaires.loader import load_text
from intake.summary.builder import AnsweredQuestionnaire, build_summary
from intake.summary.document import intake_document, render_document_html
from intake.summary.service import summary_pdf

from ..conftest import ROOT
from ..definitions import GLANCE_WHERE, store_definition
from .test_pdf_fit import chars_off_the_page
from .test_pdf_tagged import structure

ANSWERS = {
    "areas": ["calf_left", "calf_side_not_sure", "knee_back_right", "eyelid_left", "other"],
    "areas.other": "Little toe",
    "started": "2024-03",
    "how_often": "daily",
    "kinds": ["cramps", "tingling"],
    "own_words": "It jumps most after a long walk.",
    "bladder": "no",
}
WORDS = (
    "Left calf, A calf, not sure which side, Back of the right knee, Left eyelid, "
    "Somewhere else: Little toe"
)
DESCRIPTION = (
    "Body picture, front and back, with these areas filled: "
    "Left calf, Back of the right knee, Left eyelid."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def glance_intake():
    version = store_definition(GLANCE_WHERE)
    invitation = services.create_invitation(
        patient_name="Robin Inventedson",
        date_of_birth=date(1975, 6, 7),
        questionnaire_slugs=["glance_where"],
    )
    response = invitation.intake.responses.get()
    _, cleaned = services.save_answers(response=response, answers=ANSWERS, revision=0)
    assert cleaned.errors == {}
    return services.submit_intake(intake=invitation.intake), version


def test_the_where_line_carries_the_picture_and_the_other_lines_none(glance_intake):
    _, version = glance_intake
    answered = AnsweredQuestionnaire("glance_where", 1, version.questionnaire, ANSWERS)
    glance = {line.slot: line for line in build_summary([answered]).glance}
    assert list(glance) == ["own_words", "where", "since", "how_often"]
    where = glance["where"]
    assert where.figure.chosen_labels == ("Left calf", "Back of the right knee", "Left eyelid")
    assert ", ".join(where.answer) == WORDS  # every answer in words, the list-only ones too
    assert [glance[slot].figure for slot in ("own_words", "since", "how_often")] == [None] * 3


def test_a_plain_multi_choice_at_a_glance_prints_as_words_only(glance_intake):
    intake, _ = glance_intake
    text = GLANCE_WHERE.read_text().replace("        display: body_map\n", "")
    plain = load_text(text, file="glance_where.yaml").questionnaire
    summary = build_summary([AnsweredQuestionnaire("glance_where", 1, plain, ANSWERS)])
    html = render_document_html(replace(intake_document(intake), summary=summary))
    glance = html.split('id="glance-title"', 1)[1].split('id="key-items-title"', 1)[0]
    assert "<svg" not in glance
    assert WORDS in glance


def test_the_summary_page_shows_a_small_figure_filled_only_where_chosen(glance_intake):
    intake, _ = glance_intake
    html = render_document_html(intake_document(intake))
    glance = html.split('id="glance-title"', 1)[1].split('id="key-items-title"', 1)[0]
    assert f'role="img" aria-label="{DESCRIPTION}"' in glance
    assert f'<p class="glance-areas">{WORDS}</p>' in glance
    # Filled means chosen, and nothing else is marked: one fill for chosen, one for the rest.
    fills = Counter(re.findall(r'class="area( is-chosen)?" fill="([^"]+)"', glance))
    assert fills == {(" is-chosen", "#0b5a7a"): 3, ("", "#ffffff"): 10}
    # The only colours: chosen, not chosen, the outline and the labels' ink.
    colours = {"#0b5a7a", "#ffffff", "#e5e7eb", "#1b1b1b"}
    assert set(re.findall(r'fill="(#[0-9a-f]{6})"', glance)) == colours


def test_page_one_holds_the_small_figure_tagged_with_its_words(glance_intake):
    intake, _ = glance_intake
    pdf = summary_pdf(intake)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "glance-body-map.pdf").write_bytes(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = document.pages[0]
        text = " ".join(first.extract_text().split())
        top = first.search("At a glance")[0]["bottom"]
        bottom = first.search("Key items")[0]["top"]
        shapes = [s for s in first.curves + first.rects if top < s["top"] and s["bottom"] < bottom]
        assert [chars_off_the_page(page) for page in document.pages] == [[]] * len(document.pages)
    glance = text.split("At a glance", 1)[1].split("Key items", 1)[0]
    assert " ".join(WORDS.split()) in glance
    assert len(shapes) >= 27  # 13 areas of this definition, 14 outline shapes of both views
    height = max(s["bottom"] for s in shapes) - min(s["top"] for s in shapes)
    assert height < 30 / 25.4 * 72  # small: under 30 mm tall
    with pikepdf.open(io.BytesIO(pdf)) as document:
        found, figures = Counter(), []
        structure(document.Root.StructTreeRoot, found, figures)
        first_page = document.pages[0].obj.objgen
        alts = [(str(f.Alt), f.Pg.objgen == first_page) for f in figures]
    # Drawn once, At a glance, tagged with the areas in words; its section gives the words only.
    assert alts == [(DESCRIPTION, True)]
    section = text.split("Key items", 1)[1]
    assert all(area in section for area in ("Left calf", "Back of the right knee", "Left eyelid"))


def test_the_patients_copy_without_at_a_glance_draws_the_figure_in_its_section(glance_intake):
    intake, _ = glance_intake
    clinic = render_document_html(intake_document(intake))
    copy = render_document_html(intake_document(intake), patient_copy=True)
    after_glance = clinic.split('id="key-items-title"', 1)[1]
    assert clinic.count(f'aria-label="{DESCRIPTION}"') == 1  # At a glance only
    assert f'aria-label="{DESCRIPTION}"' not in after_glance
    assert 'id="glance-title"' not in copy
    assert copy.count(f'aria-label="{DESCRIPTION}"') == 1  # in the section, where it was asked
