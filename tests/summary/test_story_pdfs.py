"""The twelve invented stories as the clinician reads them: page 1 at a glance, nothing astray.

Answers are saved through the services (no browser). For each story's PDF: page 1 holds the
whole "At a glance" block; no page ends with a heading; no question the story was not asked
prints, as a row or as a field of an entry; every character is inside the printable area.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from intake import services
from intake.questionnaires.cleaning import DETAILS_SUFFIX
from intake.questionnaires.conditions import is_shown
from intake.questionnaires.schema import GroupItem
from intake.summary.builder import Table
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import render_pdf

from ..conftest import ROOT
from ..stories import Story, facts_missing_from, facts_table, load_stories, squeezed
from .pdf_chars import Page, pdf_pages
from .test_pdf_fit import chars_off_the_page
from .test_pdf_reading import headings, last_body_lines

pytestmark = pytest.mark.django_db

STORIES = load_stories()
SUBMITTED = datetime(2026, 12, 2, 9, tzinfo=UTC)


def submit_story(story: Story):
    """Save every questionnaire's answers as the patient pages would, then submit."""
    answers = story.answers()
    with time_machine.travel(SUBMITTED, tick=False):
        invitation = services.create_invitation(
            patient_name=story.patient_name, date_of_birth=story.born, clinic_reference=story.slug
        )
        responses = invitation.intake.responses.select_related("intake", "questionnaire_version")
        for response in responses:
            given = answers.get(response.questionnaire_version.slug, {})
            _, cleaned = services.save_answers(
                response=response, answers=given, revision=0, require=True
            )
            assert cleaned.errors == {}, (story.slug, cleaned.errors)
        return services.submit_intake(intake=invitation.intake)


def story_pdf(story: Story) -> tuple[object, bytes]:
    intake = submit_story(story)
    document = intake_document(intake)
    pdf = render_pdf(render_document_html(document))
    out = ROOT / "build" / "stories"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{story.slug}.pdf").write_bytes(pdf)
    return document, pdf


def page_texts(pages: list[Page]) -> list[str]:
    """Return each page's text in written order, words apart (see `written_text`)."""
    return ["".join(char["text"] for char in page.chars) for page in pages]


def answer_words(answer: str | list[str]) -> str:
    return answer if isinstance(answer, str) else "".join(answer)


def unasked_labels(story: Story, questionnaires) -> set[str]:
    """Return the texts of questions the story was never asked (and no asked one shares)."""
    answers = story.answers()
    asked, unasked = set(), set()
    for questionnaire in questionnaires:
        given = answers.get(questionnaire.id, {})
        for section, group, item in questionnaire.iter_items():
            if item.type == "display" or isinstance(item, GroupItem):
                continue
            if group is not None and group.repeats:
                shown = any(
                    is_shown(item.show_if, given, entry) for entry in given.get(group.id) or []
                )
                label = f"{item.short_text or item.text}:"
            else:
                shown = is_shown(section.show_if, given) and is_shown(item.show_if, given)
                if group is not None:
                    shown = shown and is_shown(group.show_if, given)
                label = item.text
            (asked if shown else unasked).add(" ".join(label.split()))
            for child in getattr(item, "details", None) or []:
                details = given.get(item.id + DETAILS_SUFFIX) or {}
                rows = [details.get(value) or {} for value in given.get(item.id) or []]
                child_shown = shown and any(is_shown(child.show_if, given, row) for row in rows)
                child_label = f"{child.short_text or child.text}:"
                (asked if child_shown else unasked).add(" ".join(child_label.split()))
    return unasked - asked


@pytest.mark.parametrize("story", STORIES, ids=[story.slug for story in STORIES])
def test_the_story_reads_at_a_glance_on_page_one_and_fits_every_page(story, questionnaires):
    document, pdf = story_pdf(story)
    read = pdf_pages(pdf)
    pages = page_texts(read)

    first = squeezed(pages[0])
    glance = [squeezed(line.label) for line in document.summary.glance]
    glance += [squeezed(answer_words(line.answer))[:30] for line in document.summary.glance]
    keys = [
        squeezed(item.question + answer_words(item.answer)) for item in document.summary.key_items
    ]
    on_page_one = [
        words for words in ["Ataglance", *glance, "Keyitems", *keys] if words not in first
    ]
    assert on_page_one == [], f"{story.slug}: not on page 1: {on_page_one}"

    assert set(last_body_lines(read)) & headings(document) == set()

    outside = {n: chars_off_the_page(page)[:3] for n, page in enumerate(read, 1)}
    assert {n: chars for n, chars in outside.items() if chars} == {}

    assert facts_missing_from(read, story) == []

    text = squeezed("".join(pages))
    definitions = [q.questionnaire for q in questionnaires]
    printed = sorted(
        label for label in unasked_labels(story, definitions) if squeezed(label) in text
    )
    assert printed == [], f"{story.slug}: questions not asked, yet printed: {printed}"


@pytest.mark.parametrize("story", STORIES, ids=[story.slug for story in STORIES])
def test_no_entry_of_the_story_has_a_field_for_a_question_it_did_not_ask(story, questionnaires):
    intake = submit_story(story)
    document = intake_document(intake)
    for response in intake.responses.select_related("questionnaire_version"):
        questionnaire = response.questionnaire_version.questionnaire
        stored = response.answers
        items = questionnaire.item_index()
        summary = next(s for s in document.summary.questionnaires if s.slug == questionnaire.id)
        for section in summary.sections:
            for table in (row for row in section.rows if isinstance(row, Table)):
                for entry, (lead, rest) in zip(
                    entries_of(items[table.item_id], stored), table.entry_lines, strict=True
                ):
                    printed = {label for label, _ in lead + rest}
                    not_asked = {
                        child.short_text or child.text
                        for child in children_of(items[table.item_id])
                        if not is_shown(child.show_if, stored, entry)
                    }
                    assert printed & not_asked == set(), (story.slug, table.title, printed)


def children_of(item) -> list:
    return list(getattr(item, "details", None) or item.items)


def entries_of(item, stored: dict) -> list[dict]:
    """Return a table's entries as stored: a group's entries, or each ticked option's details."""
    if getattr(item, "details", None):
        details = stored.get(item.id + DETAILS_SUFFIX) or {}
        return [details.get(value) or {} for value in stored[item.id]]
    return stored.get(item.id) or []


def test_nine_in_ten_facts_have_a_question_made_for_them_none_has_no_place_and_the_note_says_so():
    facts = [fact for story in STORIES for fact in story.facts]
    in_questions = sum(fact.place == "question" for fact in facts)
    assert len(STORIES) == 12
    assert in_questions / len(facts) >= 0.90
    assert [fact.text for fact in facts if fact.place == "nowhere"] == []
    assert facts_table(STORIES) in (ROOT / "docs" / "stories.md").read_text(encoding="utf-8")


def test_a_section_with_nothing_answered_prints_no_heading(questionnaires):
    story = next(story for story in STORIES if story.slug == "12_tried_eight_things")
    html = render_document_html(intake_document(submit_story(story)))
    assert "<h3>What you have tried</h3>" in html
    assert "<h3>Cramps and sleep</h3>" not in html  # nothing in it was answered
    assert "optional questions not answered" in html  # its questions are counted instead
