"""Choices with details and the body map: their definition rules and answer cleaning."""

from datetime import date

import pytest

from intake.questionnaires.body_map import AREA_IDS, body_map_figure
from intake.questionnaires.cleaning import MSG_REQUIRED, MSG_UNKNOWN, clean_answers
from intake.questionnaires.loader import DefinitionInvalid, load_file, load_text

from ..definitions import NEW_KINDS

TODAY = date(2026, 12, 2)
DEFINITION = NEW_KINDS


@pytest.fixture(scope="module")
def questionnaire():
    return load_file(DEFINITION).questionnaire


def clean(questionnaire, raw, require=False):
    return clean_answers(questionnaire, raw, today=TODAY, require=require)


def problems_of(items_yaml: str) -> list[str]:
    text = "id: sample\ntitle: Sample\nsections:\n  - id: first\n    title: First\n    items:\n"
    text += "\n".join("      " + line for line in items_yaml.strip().splitlines())
    with pytest.raises(DefinitionInvalid) as refused:
        load_text(text)
    return [str(error) for error in refused.value.errors]


# --- choices with details ---------------------------------------------------------------------


def test_each_chosen_option_stores_its_follow_ups_with_a_stable_id(questionnaire):
    raw = {
        "tried": ["magnesium", "stretching"],
        "tried.details": {
            "magnesium": {"_id": "abcdef123456", "helped": "a_little", "when": "2024-03"},
            "stretching": {"helped": "no"},
        },
    }
    result = clean(questionnaire, raw)
    assert result.errors == {}
    details = result.answers["tried.details"]
    assert details["magnesium"] == {"_id": "abcdef123456", "helped": "a_little", "when": "2024-03"}
    assert details["stretching"]["helped"] == "no"
    assert len(details["stretching"]["_id"]) == 12
    assert clean(questionnaire, result.answers).answers == result.answers


def test_details_typed_for_an_option_not_ticked_are_refused_not_dropped(questionnaire):
    raw = {"tried": ["magnesium"], "tried.details": {"massage": {"helped": "a_lot"}}}
    result = clean(questionnaire, raw)
    assert result.errors["tried"] == (
        "You gave details for “Massage”, but it is not ticked. Tick it again to keep them, "
        "or clear them."
    )
    assert "tried" not in result.answers and "tried.details" not in result.answers


def test_an_option_not_ticked_with_only_its_id_is_ignored(questionnaire):
    raw = {"tried": ["magnesium"], "tried.details": {"massage": {"_id": "abcdef123456"}}}
    result = clean(questionnaire, raw)
    assert result.errors == {}
    assert list(result.answers["tried.details"]) == ["magnesium"]


def test_a_required_follow_up_is_asked_once_per_chosen_option(questionnaire):
    raw = {"areas": ["neck"], "tried": ["magnesium", "massage"]}
    result = clean(questionnaire, raw, require=True)
    assert result.errors == {
        "tried[magnesium].helped": MSG_REQUIRED,
        "tried[massage].helped": MSG_REQUIRED,
    }
    assert result.missing == ("tried[magnesium].helped", "tried[massage].helped")


def test_a_follow_up_condition_reads_the_same_options_answers(questionnaire):
    raw = {
        "tried": ["magnesium", "massage"],
        "tried.details": {
            "magnesium": {"helped": "worse", "how_worse": "Cramps at night"},
            "massage": {"helped": "a_lot", "how_worse": "Not asked"},
        },
    }
    details = clean(questionnaire, raw).answers["tried.details"]
    assert details["magnesium"]["how_worse"] == "Cramps at night"
    assert "how_worse" not in details["massage"]


def test_a_follow_up_answer_is_cleaned_like_any_answer(questionnaire):
    raw = {"tried": ["magnesium"], "tried.details": {"magnesium": {"when": "2031-01", "x": 1}}}
    errors = clean(questionnaire, raw).errors
    assert errors["tried[magnesium].when"].startswith("This is in the future")
    assert errors["tried[magnesium].x"] == MSG_UNKNOWN


def test_details_without_a_multi_choice_that_takes_them_are_unknown():
    result = clean(
        load_text(
            "id: s\ntitle: S\nsections:\n- id: a\n  title: A\n  items:\n"
            "  - {id: q, type: multi_choice, text: Q, options: [{value: a, label: A},"
            " {value: b, label: B}]}\n"
        ).questionnaire,
        {"q": ["a"], "q.details": {"a": {"x": "y"}}},
    )
    assert result.errors == {"q.details": MSG_UNKNOWN}


def test_follow_ups_are_refused_inside_a_repeating_group():
    problems = problems_of(
        """
- id: things
  type: group
  text: Things
  repeats: true
  items:
    - id: tried
      type: multi_choice
      text: Tried
      options: [{value: a, label: A}, {value: b, label: B}]
      details: [{id: when, type: month_year, text: When}]
"""
    )
    assert problems == [
        "<definition>:16: sections[first].items[things].items[tried].details: "
        "follow-ups per choice cannot be asked inside a repeating group"
    ]


def test_a_follow_up_condition_cannot_name_a_later_follow_up():
    problems = problems_of(
        """
- id: tried
  type: multi_choice
  text: Tried
  options: [{value: a, label: A}, {value: b, label: B}]
  details:
    - {id: when, type: month_year, text: When, show_if: {item: helped, equals: "yes"}}
    - {id: helped, type: yes_no, text: Helped}
"""
    )
    assert len(problems) == 1
    assert "details[when].show_if.item: condition refers to an unknown item 'helped'" in problems[0]


# --- body map ---------------------------------------------------------------------------------


def test_a_body_map_needs_body_area_options():
    problems = problems_of(
        """
- id: where
  type: multi_choice
  display: body_map
  text: Where
  options: [{value: leg, label: Leg}, {value: arm, label: Arm}]
"""
    )
    assert len(problems) == 1
    assert "a body_map needs options whose values are body areas" in problems[0]


def test_body_map_answers_clean_as_a_multi_choice(questionnaire):
    raw = {"areas": ["calf_right", "calf_left", "calf_side_not_sure"]}
    assert clean(questionnaire, raw).answers == {
        "areas": ["calf_left", "calf_right", "calf_side_not_sure"]
    }


def test_the_figure_fills_chosen_areas_and_names_them(questionnaire):
    areas = questionnaire.sections[0].items[0]
    figure = body_map_figure(areas.options, ["calf_left", "low_back", "other"])
    filled = {shape.area for shape in figure.shapes if shape.chosen}
    assert filled == {"calf_left", "low_back"}
    assert figure.chosen_labels == ("Left calf", "Low back")
    assert figure.description == (
        "Body picture, front and back, with these areas filled: Left calf, Low back."
    )


def test_the_figure_keeps_left_and_right_apart_for_every_paired_area():
    sides = {area.removesuffix("_left") for area in AREA_IDS if area.endswith("_left")}
    assert {"calf", "shin", "knee_back", "achilles", "foot", "buttock", "hand"} <= sides
    assert all(f"{side}_right" in AREA_IDS for side in sides)
