"""Broken definitions: each kind of mistake gives its own clear message with file, path, line."""

import textwrap

import pytest

from intake.questionnaires.loader import DefinitionInvalid, load_text

VALID = """\
id: sample
title: Sample
sections:
  - id: first
    title: First page
    items:
      - id: areas
        type: multi_choice
        text: Which areas twitch?
        options:
          - {value: calf, label: Calf}
          - {value: thigh, label: Thigh}
          - {value: other, label: Other, other: true}
      - id: nights
        type: integer
        text: Nights with cramps each week
        min: 0
        max: 7
      - id: surgeries
        type: group
        text: Surgeries
        repeats: true
        items:
          - id: kind
            type: text
            text: What was done?
"""


def _errors(text: str, file: str = "sample.yaml") -> list[str]:
    with pytest.raises(DefinitionInvalid) as raised:
        load_text(textwrap.dedent(text), file=file)
    return [str(error) for error in raised.value.errors]


def _replace(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


def test_valid_sample_loads():
    loaded = load_text(VALID, file="sample.yaml")
    assert loaded.questionnaire.item_index()["nights"].max == 7
    assert len(loaded.content_hash) == 64


BROKEN = {
    "unknown key": (
        _replace("        min: 0\n", "        min: 0\n        colour: red\n"),
        "sample.yaml:18: sections[first].items[nights].colour: unknown key 'colour'",
    ),
    "score is not a feature": (
        _replace("        min: 0\n", "        min: 0\n        score: 2\n"),
        "sample.yaml:18: sections[first].items[nights].score: unknown key 'score'",
    ),
    "diagnosis is not a feature": (
        _replace("title: Sample\n", "title: Sample\ndiagnosis: sciatica\n"),
        "sample.yaml:3: diagnosis: unknown key 'diagnosis'",
    ),
    "duplicate id": (
        _replace("      - id: nights", "      - id: areas"),
        "sample.yaml:14: sections[first].items[areas].id: duplicate item id 'areas'",
    ),
    "condition on an unknown item": (
        _replace("        min: 0\n", "        min: 0\n        show_if: {item: nope, equals: x}\n"),
        "sections[first].items[nights].show_if.item: condition refers to an unknown item 'nope'",
    ),
    "condition on a later item": (
        _replace(
            "        text: Which areas twitch?\n",
            "        text: Which areas twitch?\n        show_if: {item: nights, gt: 2}\n",
        ),
        "condition refers to a later item 'nights'",
    ),
    "options on a type that has none": (
        _replace("        min: 0\n", "        min: 0\n        options: [{value: a, label: A}]\n"),
        "sections[first].items[nights].options: 'options' is not allowed on a integer item",
    ),
    "missing options": (
        _replace(
            "      - id: nights\n        type: integer\n",
            "      - id: nights\n        type: single_choice\n",
        ).replace("        min: 0\n        max: 7\n", ""),
        "sample.yaml:14: sections[first].items[nights]: missing required key 'options'",
    ),
    "min above max": (
        _replace("        min: 0\n", "        min: 9\n"),
        "sample.yaml:17: sections[first].items[nights].min: min (9) must be below max (7)",
    ),
    "empty group": (
        VALID.split("        items:\n")[0] + "        items: []\n",
        "sections[first].items[surgeries].items: a group or section needs at least one item",
    ),
    "bad YAML": (
        _replace("        min: 0\n", "        min: [0\n"),
        "sample.yaml:18: not valid YAML: did not find expected ',' or ']'",  # LibYAML's words
    ),
    "duplicate YAML key": (
        _replace("        min: 0\n", "        min: 0\n        min: 1\n"),
        "sample.yaml:18: not valid YAML: duplicate key 'min'",
    ),
    "unknown type": (
        _replace("        type: integer\n", "        type: number\n"),
        "sections[first].items[nights]: unknown type 'number'; use one of: yes_no,",
    ),
    "bad id": (
        _replace("      - id: nights", "      - id: Nights-Per-Week"),
        "'Nights-Per-Week' is not a valid id",
    ),
    "includes on a single answer": (
        _replace(
            "        max: 7\n",
            "        max: 7\n      - {id: when, type: text, text: When, "
            "show_if: {item: nights, includes: 3}}\n",
        ),
        "show_if.includes: 'includes' needs a multi_choice item",
    ),
    "equals on a multi choice": (
        _replace(
            "        max: 7\n",
            "        max: 7\n      - {id: when, type: text, text: When, "
            "show_if: {item: areas, equals: calf}}\n",
        ),
        "show_if.equals: use 'includes' to test a multi_choice item, not 'equals'",
    ),
    "condition value that is not an option": (
        _replace(
            "        max: 7\n",
            "        max: 7\n      - {id: when, type: text, text: When, "
            "show_if: {item: areas, includes: shin}}\n",
        ),
        "'shin' is not an answer of 'areas' (choose from: calf, other, thigh)",
    ),
    "condition with two operators": (
        _replace(
            "        min: 0\n",
            "        min: 0\n        show_if: {item: areas, answered: true, includes: calf}\n",
        ),
        "a condition on an item needs exactly one of",
    ),
    "missing text": (
        _replace("        text: Nights with cramps each week\n", ""),
        "sections[first].items[nights]: missing required key 'text'",
    ),
    "repeat bounds without repeats": (
        _replace("        repeats: true\n", "        max_items: 3\n"),
        "sections[first].items[surgeries].max_items: 'max_items' needs 'repeats: true'",
    ),
    "two other options": (
        _replace(
            "          - {value: thigh, label: Thigh}\n",
            "          - {value: thigh, label: Thigh, other: true}\n",
        ),
        "sections[first].items[areas].options: only one option can be 'other'",
    ),
    "file name and id differ": (
        VALID.replace("id: sample", "id: sample_two", 1),
        "id: id 'sample_two' must match the file name 'sample'",
    ),
    "key on a display item": (
        _replace(
            "        max: 7\n",
            "        max: 7\n      - {id: note, type: display, text: Hi, key: true}\n",
        ),
        "sections[first].items[note].key: 'key' is not allowed on a display item",
    ),
}


@pytest.mark.parametrize("mistake", BROKEN)
def test_each_mistake_gets_its_own_clear_message(mistake):
    text, expected = BROKEN[mistake]
    errors = _errors(text)
    assert any(expected in error for error in errors), errors


def test_messages_are_all_reported_at_once():
    text = _replace("        min: 0\n", "        min: 0\n        score: 1\n        colour: red\n")
    text = text.replace(
        "            text: What was done?",
        "            text: What was done?\n            diagnosis: x",
    )
    errors = _errors(text)
    assert len(errors) == 3, errors


def test_not_a_mapping_is_explained():
    assert _errors("- just\n- a list\n") == [
        "sample.yaml:1: expected a mapping with id, title and sections"
    ]
