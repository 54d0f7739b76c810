"""Stored answers to FHIR R4 QuestionnaireResponse and back; an intake as a `collection` Bundle.

Plain Python: the caller passes the definition, the answers and the facts of the response. Each
repeat entry is its own item carrying the entry's stable `_id` as `item.id`; an item without an
answer (never shown, or skipped) is absent, and so is a group with no answer inside. A choice
with details is one `answer` per chosen option, in order, carrying that option's stable `_id` as
`answer.id` and its answered follow-ups as `answer.item` (so an option ticked with no follow-up
answered keeps its id too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..questionnaires.cleaning import DETAILS_SUFFIX, ROW_ID_KEY
from ..questionnaires.conditions import is_answered
from ..questionnaires.schema import NO_ANSWER_TYPES, GroupItem, Questionnaire
from .fhir import OTHER_SUFFIX
from .item_types import linked_details, mapping_for


@dataclass(frozen=True)
class ResponseFacts:
    """What a QuestionnaireResponse says besides the answers."""

    id: str
    questionnaire_url: str
    version: int
    submitted: bool
    authored: str  # ISO 8601 date-time with zone: the submission, or the last save
    language: str = "en"  # the language the patient read the questions in


def fhir_response(questionnaire: Questionnaire, answers: dict, facts: ResponseFacts) -> dict:
    """Return the FHIR R4 QuestionnaireResponse of one response's stored answers."""
    items = []
    for section in questionnaire.sections:
        children = _items(section.items, answers, facts.questionnaire_url)
        if children:
            items.append({"linkId": section.id, "text": section.title, "item": children})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": facts.id,
        "questionnaire": f"{facts.questionnaire_url}|{facts.version}",
        "language": facts.language,
        "status": "completed" if facts.submitted else "in-progress",
        "authored": facts.authored,
    }
    if items:
        resource["item"] = items
    return resource


def _items(items, answers: dict, url: str) -> list[dict]:
    result = []
    for item in items:
        if isinstance(item, GroupItem):
            result += _group(item, answers, url)
        elif item.type not in NO_ANSWER_TYPES and is_answered(answers.get(item.id)):
            result.append(_question(item, answers, url))
    return result


def _group(group: GroupItem, answers: dict, url: str) -> list[dict]:
    if not group.repeats:
        children = _items(group.items, answers, url)
        return [{"linkId": group.id, "text": group.text, "item": children}] if children else []
    entries = []
    for row in answers.get(group.id) or []:
        children = _items(group.items, row, url)
        if children:
            entries.append(
                {"id": row[ROW_ID_KEY], "linkId": group.id, "text": group.text, "item": children}
            )
    return entries


def _question(item, answers: dict, url: str, key: str | None = None) -> dict:
    """Return one answered item; `key` is where its answer is stored when not its id (details)."""
    key = key or item.id
    fhir_answers = mapping_for(item).fhir_answers(item, answers[key], url)
    other_text = answers.get(key + OTHER_SUFFIX)
    if other_text:
        other = next(o.value for o in item.options if o.other)
        for answer in fhir_answers:
            if answer["valueCoding"]["code"] == other:
                answer["item"] = [
                    {"linkId": item.id + OTHER_SUFFIX, "answer": [{"valueString": other_text}]}
                ]
    details = answers.get(key + DETAILS_SUFFIX) or {}
    for place, answer in enumerate(fhir_answers if getattr(item, "details", None) else ()):
        entry = details.get(answer["valueCoding"]["code"])
        if entry is None:
            continue
        nested = [
            _question(linked, entry, url, key=detail.id)
            for detail, linked in linked_details(item)
            if detail.type != "display" and is_answered(entry.get(detail.id))
        ]
        if nested:
            answer["item"] = answer.get("item", []) + nested
        fhir_answers[place] = {"id": entry[ROW_ID_KEY], **answer}
    return {"linkId": item.id, "text": item.text, "answer": fhir_answers}


def answers_from_fhir(questionnaire: Questionnaire, response: dict) -> dict[str, Any]:
    """Return the stored answers a QuestionnaireResponse holds (the reverse of `fhir_response`)."""
    definitions = {item.id: item for _, _, item in questionnaire.iter_items()}
    answers: dict[str, Any] = {}
    for section in response.get("item", []):
        _read(section["item"], definitions, answers)
    return answers


def _read(items: list[dict], definitions: dict, out: dict) -> None:
    for entry in items:
        item = definitions[entry["linkId"]]
        if isinstance(item, GroupItem) and item.repeats:
            row: dict[str, Any] = {ROW_ID_KEY: entry["id"]}
            _read(entry["item"], definitions, row)
            out.setdefault(item.id, []).append(row)
        elif isinstance(item, GroupItem):
            _read(entry["item"], definitions, out)
        else:
            _read_question(item, entry, out, item.id)


def _read_question(item, entry: dict, out: dict, key: str) -> None:
    """Store one answered item under `key`, with its "Other" text and its follow-ups."""
    out[key] = mapping_for(item).read_fhir(item, entry["answer"])
    follow_ups = {linked.id: (detail, linked) for detail, linked in linked_details(item)}
    for answer in entry["answer"]:
        if "id" in answer:
            details = out.setdefault(key + DETAILS_SUFFIX, {})
            target = details[answer["valueCoding"]["code"]] = {ROW_ID_KEY: answer["id"]}
        for child in answer.get("item", []):
            if child["linkId"] == item.id + OTHER_SUFFIX:
                out[key + OTHER_SUFFIX] = child["answer"][0]["valueString"]
            else:
                detail, linked = follow_ups[child["linkId"]]
                _read_question(linked, child, target, detail.id)


def stable_uuid(name: str) -> uuid.UUID:
    """Return the same UUID for the same name: bundle entries keep their fullUrl across exports."""
    return uuid.uuid5(uuid.NAMESPACE_URL, name)


def fhir_bundle(
    intake_id: str, timestamp: str, questionnaires: list[dict], responses: list[dict]
) -> dict:
    """Return a `collection` Bundle: the questionnaires answered, then the responses."""
    entries = [
        {
            "fullUrl": f"urn:uuid:{stable_uuid(resource['url'] + '|' + resource['version'])}",
            "resource": resource,
        }
        for resource in questionnaires
    ]
    entries += [
        {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in responses
    ]
    return {
        "resourceType": "Bundle",
        "id": intake_id,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{intake_id}"},
        "type": "collection",
        "timestamp": timestamp,
        "entry": entries,
    }
