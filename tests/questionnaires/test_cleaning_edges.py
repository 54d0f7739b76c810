"""Answer cleaning at the edges version 2 of the questionnaires relies on.

Display text inside pages and entries, required items inside a plain group, optional repeating
groups, limits taken exactly at their bound, the year alone in January, and characters that are
invisible or unassigned. Each test is a definition and the answers a patient would give.
"""

from datetime import date

import pytest

from intake.questionnaires.cleaning import ROW_ID_KEY, clean_answers
from intake.questionnaires.loader import load_text

TODAY = date(2026, 11, 21)
PLEASE_ANSWER = "Please answer this question."
NOT_IN_FORM = "This question is not part of this form."

HOME_SUPPORT = load_text(
    """\
id: home_support
title: Help at home
sections:
  - id: home
    title: Your home
    items:
      - {id: intro, type: display, text: "These questions are about help at home."}
      - id: helper
        type: single_choice
        text: Who helps you most at home?
        required: true
        options:
          - {value: mother, label: My mother}
          - {value: brother, label: My brother}
          - {value: other, label: Someone else, other: true}
      - id: living
        type: group
        text: Where you live
        items:
          - {id: living_note, type: display, text: "Tell us about your home."}
          - {id: stairs, type: integer, text: "How many stairs to your door?", required: true}
          - {id: lift, type: yes_no, text: "Is there a lift?"}
      - id: aids
        type: group
        text: Walking aids you use
        repeats: true
        items:
          - {id: aid_note, type: display, text: "One entry per aid."}
          - {id: aid, type: text, text: Aid, required: true}
      - id: carers
        type: group
        text: Paid carers
        repeats: true
        required: true
        items:
          - {id: carer, type: text, text: "Carer's agency"}
"""
).questionnaire

COMPLETE = {"helper": "mother", "stairs": 3, "carers": [{"carer": "Invented Care Ltd"}]}


def clean(raw, *, require=False, today=TODAY):
    return clean_answers(HOME_SUPPORT, raw, today=today, require=require)


def one(item_yaml: str, value, *, today=TODAY):
    """Clean one answer to the item `q`; return (value or None, message or None)."""
    definition = "id: one\ntitle: One\nsections:\n  - id: s\n    title: S\n    items:\n"
    questionnaire = load_text(f"{definition}      - {item_yaml}\n").questionnaire
    result = clean_answers(questionnaire, {"q": value}, today=today)
    return result.answers.get("q"), result.errors.get("q")


# --- display text -----------------------------------------------------------------------------


def test_display_text_on_a_page_in_a_plain_group_and_in_an_entry_needs_no_answer():
    raw = {**COMPLETE, "aids": [{"aid": "Walking stick"}]}
    result = clean(raw, require=True)
    assert result.errors == {}
    assert result.missing == ()
    assert [row["aid"] for row in result.answers["aids"]] == ["Walking stick"]


def test_an_answer_sent_for_display_text_is_refused_not_stored():
    raw = {
        **COMPLETE,
        "intro": "I read it",
        "living_note": "Flat",
        "aids": [{"aid": "Walking stick", "aid_note": "x"}],
    }
    result = clean(raw)
    assert result.errors == {
        "intro": NOT_IN_FORM,
        "living_note": NOT_IN_FORM,
        "aids[0].aid_note": NOT_IN_FORM,
    }
    assert "intro" not in result.answers and "living_note" not in result.answers
    assert [set(row) for row in result.answers["aids"]] == [{ROW_ID_KEY, "aid"}]


# --- required items and groups ----------------------------------------------------------------


def test_a_required_question_inside_a_plain_group_is_reported_when_sending():
    result = clean({"helper": "mother", "lift": "yes", "carers": [{"carer": "A"}]}, require=True)
    assert result.errors == {"stairs": PLEASE_ANSWER}
    assert result.missing == ("stairs",)


def test_an_optional_repeating_group_left_empty_is_not_asked_for():
    result = clean(COMPLETE, require=True)
    assert result.errors == {}
    assert "aids" not in result.answers


def test_a_required_group_without_an_entry_label_asks_for_an_entry():
    result = clean({"helper": "mother", "stairs": 3}, require=True)
    assert result.errors == {"carers": "Add at least 1 entry."}
    assert result.missing == ("carers",)


# --- "Other" ----------------------------------------------------------------------------------


def test_other_text_is_dropped_when_the_answer_only_contains_the_word_other():
    # "mother" and "brother" contain "other"; only the "Someone else" answer keeps the text.
    for helper in ("mother", "brother"):
        result = clean({**COMPLETE, "helper": helper, "helper.other": "A neighbour"})
        assert result.answers["helper"] == helper
        assert "helper.other" not in result.answers
    kept = clean({**COMPLETE, "helper": "other", "helper.other": "A neighbour"})
    assert kept.answers["helper.other"] == "A neighbour"


def test_other_text_is_kept_on_one_line():
    result = clean({**COMPLETE, "helper": "other", "helper.other": "A neighbour\nand her son"})
    assert result.answers["helper.other"] == "A neighbour and her son"


# --- drafts -----------------------------------------------------------------------------------


def test_cleaning_a_draft_asks_for_no_required_answer_unless_told_to():
    draft = clean_answers(HOME_SUPPORT, {"lift": "no"}, today=TODAY)
    assert (draft.answers, draft.errors, draft.missing) == ({"lift": "no"}, {}, ())


# --- unknown keys -----------------------------------------------------------------------------


def test_an_unknown_key_is_named_by_its_first_100_characters():
    long_key = "k" * 150
    result = clean({**COMPLETE, long_key: 1, "aids": [{"aid": "Cane", long_key: 1}]})
    assert result.errors == {"k" * 100: NOT_IN_FORM, f"aids[0].{'k' * 100}": NOT_IN_FORM}


# --- limits at their bound --------------------------------------------------------------------

WHOLE = "{id: q, type: integer, text: Q}"
NUMBER = "{id: q, type: decimal, text: Q}"


def test_a_whole_number_of_one_billion_is_accepted_and_one_more_is_not():
    assert one(WHOLE, 1_000_000_000) == (1_000_000_000, None)
    assert one(WHOLE, -1_000_000_000) == (-1_000_000_000, None)
    assert one(WHOLE, 1_000_000_001) == (None, "Enter a whole number.")


def test_a_number_of_one_billion_is_accepted_and_one_more_is_not():
    assert one(NUMBER, 1_000_000_000) == (1e9, None)
    assert one(NUMBER, "1000000000") == (1e9, None)
    assert one(NUMBER, 1_000_000_001) == (None, "Enter a number.")
    assert one(NUMBER, "1000000000.5") == (None, "Enter a number.")


def test_a_number_typed_with_20_characters_is_read_and_21_are_refused():
    assert one(NUMBER, "72.50000000000000000") == (72.5, None)  # 20 characters
    assert one(NUMBER, "72.500000000000000000") == (None, "Enter a number.")  # 21


@pytest.mark.parametrize("value", [["72.5"], {"kg": "72.5"}])
def test_a_number_sent_as_a_list_or_an_object_is_refused(value):
    assert one(NUMBER, value) == (None, "Enter a number.")


def test_dates_from_1900_on_are_accepted():
    assert one("{id: q, type: date, text: Q}", "1900-01-01") == ("1900-01-01", None)
    assert one("{id: q, type: month_year, text: Q}", "1900") == ("1900", None)
    assert one("{id: q, type: month_year, text: Q}", "1900-01") == ("1900-01", None)


# --- the year alone ---------------------------------------------------------------------------


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2027, 1, 31), date(2027, 12, 31)])
def test_the_current_year_alone_is_accepted_in_every_month_including_january(today):
    assert one("{id: q, type: month_year, text: Q}", "2027", today=today) == ("2027", None)


def test_next_year_alone_is_refused_even_in_december():
    message = "This is in the future. Enter a month and year up to now."
    assert one("{id: q, type: month_year, text: Q}", "2028", today=date(2027, 12, 31)) == (
        None,
        message,
    )


# --- characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    [
        pytest.param("\ud800", id="lone surrogate"),
        pytest.param("\u0378", id="unassigned"),
        pytest.param("\ue000", id="private use"),
        pytest.param("\U000f0000", id="private use plane 15"),
        pytest.param("\u2028", id="line separator"),
        pytest.param("\u2029", id="paragraph separator"),
    ],
)
@pytest.mark.parametrize("kind", ["text", "long_text"])
def test_invisible_private_and_unassigned_characters_become_spaces(char, kind):
    assert one(f"{{id: q, type: {kind}, text: Q}}", f"L4{char}L5") == ("L4 L5", None)
