"""The summary restates answers: key items first, unasked items left out, every entry kept."""

import re

import pytest

from intake.questionnaires.loader import load_text
from intake.summary.builder import (
    GLANCE_LABELS,
    NOT_ANSWERED,
    AnsweredQuestionnaire,
    Table,
    build_summary,
)

from ..conftest import ROOT

DEFINITION = """\
id: sample
title: Sample
sections:
  - id: first
    title: First
    items:
      - {id: bladder, type: yes_no, text: Bladder change, key: true, not_sure: true}
      - {id: groin, type: yes_no, text: Groin numbness, key: true, not_sure: true}
      - {id: numb, type: yes_no, text: Any numbness, not_sure: true}
      - id: where
        type: text
        text: Where is it numb
        show_if: {item: numb, equals: "yes"}
      - {id: note, type: text, text: Anything else}
      - id: meds
        type: group
        text: Medicines
        repeats: true
        items:
          - {id: name, type: text, text: Medicine name, short_text: Medicine}
          - {id: dose, type: text, text: Dose}
"""


def summarise(answers):
    questionnaire = load_text(DEFINITION, file="sample.yaml").questionnaire
    return build_summary([AnsweredQuestionnaire("sample", 1, questionnaire, answers)])


def test_key_items_come_first_as_given_and_unanswered_ones_say_so():
    summary = summarise({"bladder": "no"})
    assert [(k.question, k.answer) for k in summary.key_items] == [
        ("Bladder change", "No"),
        ("Groin numbness", NOT_ANSWERED),
    ]


def test_no_not_sure_and_not_answered_stay_distinct():
    summary = summarise({"bladder": "not_sure", "groin": "no"})
    assert [k.answer for k in summary.key_items] == ["Not sure", "No"]


def test_items_whose_condition_was_not_met_are_left_out_not_greyed():
    rows = summarise({"numb": "no", "note": "x"}).questionnaires[0].sections[0].rows
    questions = [row.question for row in rows]
    assert questions == ["Any numbness", "Anything else"]


def test_optional_unanswered_questions_are_counted_per_section():
    section = summarise({"numb": "yes"}).questionnaires[0].sections[0]
    # bladder, groin, where, note and the medicines group are unanswered
    assert section.unanswered == 5


def test_every_entry_of_a_repeating_group_reaches_the_table_in_order():
    meds = [{"_id": f"row{n:09d}", "name": f"Medicine {n}", "dose": f"{n} mg"} for n in range(7)]
    table = next(
        row
        for row in summarise({"meds": meds}).questionnaires[0].sections[0].rows
        if isinstance(row, Table)
    )
    assert table.columns == ["Medicine", "Dose"]
    assert table.entries == [[f"Medicine {n}", f"{n} mg"] for n in range(7)]
    assert table.entry_ids == [f"row{n:09d}" for n in range(7)]


@pytest.mark.parametrize("word", ["diagnos", "likely", "recommend", "should", "risk"])
def test_the_summary_adds_no_words_of_its_own_about_the_patient(word):
    summary = summarise({"bladder": "yes", "groin": "yes", "numb": "yes", "where": "Left foot"})
    text = repr(summary).lower()
    assert word not in text


GLANCE_DEFINITION = """\
id: glance
title: Glance
sections:
  - id: first
    title: First
    items:
      - {id: trend, type: yes_no, text: Is it worse, glance: trend}
      - {id: since, type: month_year, text: When did it start, glance: since}
      - {id: words, type: long_text, text: Anything else, glance: own_words}
      - {id: often, type: text, text: How often, glance: how_often}
      - id: surgeries
        type: group
        text: Tell us about each surgery.
        short_text: Surgeries
        repeats: true
        title_from: [kind]
        items:
          - {id: kind, type: text, text: What kind of surgery, short_text: Kind}
          - {id: spine, type: yes_no, text: Was it on the spine, short_text: Spine}
          - id: levels
            type: text
            text: Which levels
            short_text: Levels
            show_if: {item: spine, equals: "yes"}
"""


def glance_summary(answers):
    questionnaire = load_text(GLANCE_DEFINITION, file="glance.yaml").questionnaire
    return build_summary([AnsweredQuestionnaire("glance", 1, questionnaire, answers)])


def test_at_a_glance_lists_the_marked_answers_as_given_in_slot_order_and_skips_unanswered():
    summary = glance_summary({"trend": "not_sure", "since": "2019-03", "words": "My  calf\njumps"})
    assert [(line.label, line.answer) for line in summary.glance] == [
        ("In their own words", "My  calf\njumps"),
        ("Since", "March 2019"),
        ("Trend", "Not sure"),
    ]


SINCE_TWICE = """\
id: since
title: Since
sections:
  - id: first
    title: First
    items:
      - id: since_range
        type: single_choice
        text: How long ago did it start
        glance: since
        options:
          - {value: years_5_plus, label: More than 5 years ago}
          - {value: not_sure, label: Not sure}
      - {id: since, type: month_year, text: When did it start, glance: since}
      - {id: trend, type: yes_no, text: Is it worse, glance: trend}
"""


def test_two_answers_for_one_glance_slot_share_its_line_in_the_questionnaires_order():
    questionnaire = load_text(SINCE_TWICE, file="since.yaml").questionnaire
    answers = {"since": "2019-03", "since_range": "years_5_plus", "trend": "no"}
    summary = build_summary([AnsweredQuestionnaire("since", 1, questionnaire, answers)])
    assert [(line.label, line.answer) for line in summary.glance] == [
        ("Since", "More than 5 years ago · March 2019"),
        ("Trend", "No"),
    ]


def test_entries_have_a_short_title_a_first_line_and_no_column_for_a_question_never_asked():
    entries = [
        {"_id": "a" * 12, "kind": "Knee", "spine": "no"},
        {"_id": "b" * 12, "kind": "Hip", "spine": "no"},
    ]
    table = glance_summary({"surgeries": entries}).questionnaires[0].sections[0].rows[0]
    assert table.title == "Surgeries"
    assert table.columns == ["Kind", "Spine"]  # "Levels" was asked of no entry
    assert table.entry_lines[0] == ([("Kind", "Knee")], [("Spine", "No")])


FIXED_WORDS = ["diagnos", "likely", "recommend", "should", "risk", "normal", "severe", "urgent"]


@pytest.mark.parametrize("word", FIXED_WORDS)
def test_the_fixed_labels_of_the_summary_judge_nothing(word):
    templates = (ROOT / "templates" / "summary").rglob("*.html")
    words = " ".join(re.sub(r"{[{%#].*?[}%#]}|<[^>]*>", " ", t.read_text()) for t in templates)
    assert word not in (words + " ".join(GLANCE_LABELS.values())).lower()
