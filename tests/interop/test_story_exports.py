"""The twelve invented stories export as FHIR and CSV that both validators accept and read back."""

from __future__ import annotations

import pytest

from intake.interop.exports import intake_bundle
from intake.interop.fhir_response import answers_from_fhir
from tests.interop.fhir_checks import check_response, validate
from tests.interop.test_roundtrip_properties import csv_round_trip
from tests.summary.test_story_pdfs import STORIES, submit_story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("story", STORIES, ids=[story.slug for story in STORIES])
def test_the_story_exports_a_valid_bundle_and_csv_that_read_back_to_its_answers(
    story, questionnaires
):
    intake = submit_story(story)
    bundle = intake_bundle(intake)
    validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    definitions = {
        f"{r['url']}|{r['version']}": r for r in resources if r["resourceType"] == "Questionnaire"
    }
    stored = {r.questionnaire_version.slug: r for r in intake.responses.all()}
    exported = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(exported) == len(stored) == 5
    for resource in exported:
        validate(resource)
        definition = definitions[resource["questionnaire"]]
        response = stored[definition["name"]]
        check_response(definition, resource, response.answers)
        questionnaire = response.questionnaire_version.questionnaire
        assert answers_from_fhir(questionnaire, resource) == response.answers
        assert csv_round_trip(questionnaire, response.answers) == response.answers
