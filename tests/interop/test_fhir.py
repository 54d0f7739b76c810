"""FHIR R4 export: every shipped version and the demo intake validate three ways."""

from __future__ import annotations

import json

import pytest

from intake.interop.fhir import fhir_questionnaire
from intake.interop.fhir_response import answers_from_fhir
from intake.models import AuditEvent, QuestionnaireVersion
from intake.questionnaires.loader import DefinitionInvalid, load_text
from tests.api.conftest import token_client
from tests.interop.fhir_checks import check_response, validate
from tests.questionnaires.test_cleaning_properties import EVERY_TYPE

pytestmark = pytest.mark.django_db


def fhir_json(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/fhir+json"
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_every_stored_questionnaire_version_exports_a_valid_questionnaire(
    questionnaires, clinician
):
    client = token_client(clinician)
    versions = list(QuestionnaireVersion.objects.all())
    assert len(versions) >= 4
    for version in versions:
        resource = fhir_json(
            client.get(f"/api/v1/questionnaires/{version.slug}/fhir/?version={version.version}")
        )
        validate(resource)
        assert resource["url"].endswith(f"/fhir/Questionnaire/{version.slug}")
        assert resource["version"] == str(version.version)
        link_ids = _link_ids(resource["item"])
        for _, _, item in version.questionnaire.iter_items():
            assert item.id in link_ids


def test_every_answer_type_maps_as_fhir_expects():
    questionnaire = load_text(EVERY_TYPE).questionnaire
    resource = fhir_questionnaire(questionnaire, version=2, url="https://x.test/q")
    validate(resource)
    items = _items_by_link(resource["item"])
    assert items["weight"]["type"] == "decimal"
    assert {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDecimal": 300.5} in (
        items["weight"]["extension"]
    )
    assert items["planned"]["type"] == "date"
    level = items["level"]
    assert level["type"] == "integer"
    controls = [
        e["valueCodeableConcept"]["coding"][0]["code"]
        for e in level["extension"]
        if e["url"].endswith("itemControl")
    ]
    assert controls == ["slider"]
    visits = items["visits"]
    assert visits["repeats"] is True
    occurs = {e["url"].rsplit("-", 1)[1]: e["valueInteger"] for e in visits["extension"]}
    assert occurs == {"minOccurs": 1, "maxOccurs": 3}
    # A condition on an earlier answer inside the same entry, and on a number.
    assert items["visit_weight"]["enableWhen"] == [
        {"question": "visit_on", "operator": "exists", "answerBoolean": True}
    ]
    assert items["plain"]["enableWhen"] == [
        {"question": "weight", "operator": ">=", "answerDecimal": 50.0}
    ]
    assert items["second"]["enableWhen"] == [
        {"question": "count", "operator": "<", "answerInteger": 10}
    ]


def test_not_sure_other_and_help_map_to_codes_a_child_item_and_a_help_display(questionnaires):
    medications = QuestionnaireVersion.objects.get(slug="back_injury").questionnaire
    resource = fhir_questionnaire(medications, version=1, url="https://x.test/q")
    items = _items_by_link(resource["item"])
    yes_no = [
        item
        for item in items.values()
        if item.get("answerOption")
        and any(o["valueCoding"]["code"] == "asked-unknown" for o in item["answerOption"])
    ]
    assert yes_no, "a yes/no question with Not sure offers the don't-know code"
    others = [item for link, item in items.items() if link.endswith(".other")]
    assert others and all(other["type"] == "string" for other in others)
    assert all(other["enableWhen"][0]["answerCoding"]["code"] for other in others)
    helps = [item for link, item in items.items() if link.endswith(".help")]
    assert helps and all(help["type"] == "display" for help in helps)


def test_a_condition_fhir_r4_cannot_express_is_refused_when_loading():
    text = """\
id: nested
title: Nested
sections:
  - id: only
    title: Only
    items:
      - {id: a, type: yes_no, text: A}
      - {id: b, type: yes_no, text: B}
      - {id: c, type: yes_no, text: C}
      - id: d
        type: text
        text: D
        show_if:
          any:
            - {item: a, equals: "yes"}
            - all: [{item: b, equals: "yes"}, {item: c, equals: "no"}]
"""
    with pytest.raises(DefinitionInvalid) as refused:
        load_text(text)
    assert "sections[only].items[d].show_if: cannot be exported to FHIR R4" in str(refused.value)
    # The same item with one 'all' list loads.
    load_text(
        text.replace('any:\n            - {item: a, equals: "yes"}\n            - all: ', "all: ")
    )


def test_the_demo_intake_exports_as_a_valid_bundle_read_like_a_summary(submitted_intake, clinician):
    bundle = fhir_json(token_client(clinician).get(f"/api/v1/intakes/{submitted_intake.pk}/fhir/"))
    validate(bundle)
    assert bundle["type"] == "collection"
    resources = [entry["resource"] for entry in bundle["entry"]]
    questionnaires = {
        f"{r['url']}|{r['version']}": r for r in resources if r["resourceType"] == "Questionnaire"
    }
    responses = submitted_intake.responses.select_related("questionnaire_version")
    stored = {r.questionnaire_version.slug: r for r in responses}
    exported = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(exported) == len(stored) == 5
    for resource in exported:
        validate(resource)
        questionnaire = questionnaires[resource["questionnaire"]]
        response = stored[questionnaire["name"]]
        check_response(questionnaire, resource, response.answers)
        assert resource["status"] == "completed"
        assert resource["authored"] == submitted_intake.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        definition = response.questionnaire_version.questionnaire
        assert answers_from_fhir(definition, resource) == response.answers
    event = AuditEvent.objects.filter(intake_id=submitted_intake.pk).first()
    assert (event.action, event.detail["via"]) == ("summary_viewed", "fhir")


def test_front_desk_gets_no_fhir_export_of_answers(submitted_intake, front_desk):
    response = token_client(front_desk).get(f"/api/v1/intakes/{submitted_intake.pk}/fhir/")
    assert response.status_code == 403
    assert b"Casey" not in response.content


def test_an_unknown_questionnaire_version_is_not_found(questionnaires, clinician):
    response = token_client(clinician).get("/api/v1/questionnaires/surgeries/fhir/?version=99")
    assert response.status_code == 404


def _items_by_link(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(_items_by_link(item.get("item", [])))
    return found


def _link_ids(items: list[dict]) -> set[str]:
    return set(_items_by_link(items))


def test_every_answer_type_of_the_engine_has_one_fhir_and_csv_mapping():
    from intake.interop.item_types import MAPPINGS
    from intake.questionnaires.schema import ANSWER_TYPES

    assert set(MAPPINGS) == set(ANSWER_TYPES)
