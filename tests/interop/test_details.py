"""Choices with details in FHIR and CSV: follow-ups nested under each chosen answer."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest

from intake.interop.answers_csv import ResponseRef, answer_rows, answers_from_rows
from intake.interop.exports import intake_bundle
from intake.interop.fhir import fhir_questionnaire
from intake.interop.fhir_response import ResponseFacts, answers_from_fhir, fhir_response
from intake.questionnaires.loader import DefinitionInvalid, load_file, load_text
from intake.summary.service import summary_pdf
from tests.definitions import NEW_KINDS
from tests.interop.fhir_checks import check_response, validate
from tests.summary.test_new_kinds import ANSWERS, new_kinds_intake  # noqa: F401 (a fixture)

URL = "https://clinic.example.test/fhir/Questionnaire/new_kinds"
FACTS = ResponseFacts("0b6e2a44-1c1f-4f55-9a43-0d6f1f6c2b11", URL, 1, True, "2026-11-21T10:00:00Z")
# Massage is chosen with no follow-up answered: its entry (and its id) must survive too.
STORED = {
    **ANSWERS,
    "tried.details": {
        **ANSWERS["tried.details"],
        "massage": {"_id": "bbbbbb222222"},
    },
}


@pytest.fixture(scope="module")
def new_kinds():
    return load_file(NEW_KINDS).questionnaire


def by_link(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(by_link(item.get("item", [])))
    return found


def test_follow_ups_are_child_items_of_their_choice_in_the_questionnaire(new_kinds):
    resource = fhir_questionnaire(new_kinds, version=1, url=URL)
    validate(resource)
    tried = by_link(resource["item"])["tried"]
    assert tried["repeats"] is True
    assert [child["linkId"] for child in tried["item"]] == [
        "tried.other",
        "tried.help",
        "tried.details.helped",
        "tried.details.when",
        "tried.details.how_worse",
    ]
    helped, when, how_worse = tried["item"][2:]
    assert (helped["type"], helped["required"]) == ("choice", True)
    assert [option["valueCoding"]["code"] for option in helped["answerOption"]] == [
        "a_lot",
        "a_little",
        "no",
        "worse",
        "too_soon",
    ]
    assert when["type"] == "date"
    # "What got worse?" is asked only in the answer whose "Did it help?" says it made it worse.
    (condition,) = how_worse["enableWhen"]
    assert condition["question"] == "tried.details.helped"
    assert condition["answerCoding"]["code"] == "worse"


def test_each_chosen_option_carries_its_id_and_only_its_answered_follow_ups(new_kinds):
    questionnaire = fhir_questionnaire(new_kinds, version=1, url=URL)
    response = fhir_response(new_kinds, STORED, FACTS)
    validate(response)
    check_response(questionnaire, response, STORED)
    answers = by_link(response["item"])["tried"]["answer"]
    assert [(a["id"], a["valueCoding"]["code"]) for a in answers] == [
        ("aaaaaa111111", "magnesium"),
        ("bbbbbb222222", "massage"),
        ("cccccc333333", "other"),
    ]
    magnesium, massage, other = answers
    assert {child["linkId"]: child["answer"] for child in magnesium["item"]} == {
        "tried.details.helped": [
            {
                "valueCoding": {
                    "system": URL + "/options/tried.details.helped",
                    "code": "worse",
                    "display": "It made it worse",
                }
            }
        ],
        "tried.details.how_worse": [{"valueString": "Cramps at night"}],
    }
    assert "item" not in massage  # nothing answered for it: no empty follow-ups
    assert [child["linkId"] for child in other["item"]] == ["tried.other", "tried.details.helped"]
    assert answers_from_fhir(new_kinds, response) == STORED


def test_csv_rows_follow_each_option_with_its_follow_ups_and_read_back(new_kinds):
    ref = ResponseRef("intake-1", "REF-1", "new_kinds", 1)
    rows = list(answer_rows(ref, new_kinds, STORED))
    tried = [row[4:10] for row in rows if row[5].startswith("tried")]
    assert tried == [
        ["tried/tried", "tried", "aaaaaa111111", 1, "magnesium", "Magnesium"],
        [
            "tried/tried/magnesium/helped",
            "tried.details.helped",
            "aaaaaa111111",
            1,
            "worse",
            "It made it worse",
        ],
        [
            "tried/tried/magnesium/how_worse",
            "tried.details.how_worse",
            "aaaaaa111111",
            1,
            "Cramps at night",
            "",
        ],
        ["tried/tried", "tried", "bbbbbb222222", 2, "massage", "Massage"],
        ["tried/tried", "tried", "cccccc333333", 3, "other", "Something else"],
        [
            "tried/tried/other/helped",
            "tried.details.helped",
            "cccccc333333",
            3,
            "too_soon",
            "Too soon to tell",
        ],
    ]
    other = next(row for row in rows if row[5] == "tried" and row[8] == "other")
    assert other[11] == "Cold showers"
    columns = ("intake_id", "clinic_reference", "questionnaire", "version", "item_path")
    columns += ("item_id", "entry_id", "entry_order", "value", "value_label")
    columns += ("date_precision", "other_text")
    as_read = [dict(zip(columns, map(str, row), strict=True)) for row in rows]
    assert answers_from_rows(new_kinds, as_read) == STORED


DETAIL_CONDITION = """\
id: detail_condition
title: Detail condition
sections:
  - id: only
    title: Only
    items:
      - {{id: when, type: month_year, text: "When did it start"}}
      - id: tried
        type: multi_choice
        text: "What have you tried?"
        options:
          - {{value: magnesium, label: Magnesium}}
          - {{value: massage, label: Massage}}
        details:
          - {{id: {first}, type: yes_no, text: "Did it help"}}
          - {{id: helped_how, type: text, text: "How", show_if: {condition}}}
"""


def test_a_follow_up_condition_fhir_r4_cannot_express_is_refused_when_loading():
    inexpressible = "{all: [{item: helped, in: ['yes', 'no']}]}"
    with pytest.raises(DefinitionInvalid) as refused:
        load_text(DETAIL_CONDITION.format(first="helped", condition=inexpressible))
    message = ":16: sections[only].items[tried].details[helped_how].show_if: cannot be exported"
    assert message in str(refused.value)
    loaded = load_text(
        DETAIL_CONDITION.format(first="helped", condition="{item: helped, equals: 'yes'}")
    )
    resource = fhir_questionnaire(loaded.questionnaire, version=1, url=URL)
    how = by_link(resource["item"])["tried.details.helped_how"]
    assert how["enableWhen"][0]["question"] == "tried.details.helped"


def test_a_follow_up_named_like_an_item_outside_cannot_be_a_condition():
    # The engine reads the follow-up when answered and the outside `when` otherwise: FHIR cannot.
    ambiguous = DETAIL_CONDITION.format(first="when", condition="{item: when, equals: 'yes'}")
    with pytest.raises(DefinitionInvalid) as refused:
        load_text(ambiguous)
    assert "'when' is both an earlier follow-up and an item outside" in str(refused.value)


@pytest.mark.django_db
def test_the_bundle_the_pdf_carries_validates_with_details(new_kinds_intake):  # noqa: F811
    intake, version = new_kinds_intake
    with pikepdf.open(io.BytesIO(summary_pdf(intake))) as pdf:
        ((_, attached),) = pdf.attachments.items()
        bundle = json.loads(attached.get_file().read_bytes())
    assert bundle == json.loads(json.dumps(intake_bundle(intake)))
    validate(bundle)
    questionnaire, response = (entry["resource"] for entry in bundle["entry"])
    validate(questionnaire)
    validate(response)
    stored = intake.responses.get().answers
    check_response(questionnaire, response, stored)
    assert len(by_link(response["item"])["tried"]["answer"]) == 3
    assert answers_from_fhir(version.questionnaire, response) == stored
