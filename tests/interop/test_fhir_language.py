"""FHIR exports say which language the patient read, and carry the translations they read."""

from __future__ import annotations

from datetime import date

import pytest

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.interop.fhir_translation import TRANSLATION
from intake.models import QuestionnaireVersion
from tests.api.conftest import token_client
from tests.interop.fhir_checks import check_response, validate
from tests.interop.test_fhir import _items_by_link, fhir_json

pytestmark = pytest.mark.django_db


def translated(element: dict, field: str) -> dict[str, str]:
    """Return the translations on an element's primitive `field`, by language."""
    found = {}
    for extension in element.get(f"_{field}", {}).get("extension", []):
        assert extension["url"] == TRANSLATION
        parts = {part["url"]: part for part in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def test_every_shipped_questionnaire_is_english_with_every_spanish_text_as_a_translation(
    questionnaires, clinician
):
    client = token_client(clinician)
    for version in QuestionnaireVersion.objects.all():
        resource = fhir_json(client.get(f"/api/v1/questionnaires/{version.slug}/fhir/"))
        validate(resource)
        assert resource["language"] == "en"
        spanish = version.questionnaire.translations["es"]
        assert translated(resource, "title") == {"es": spanish["title"]}
        items = _items_by_link(resource["item"])
        carried = 0
        for _, _, item in version.questionnaire.iter_items():
            exported = items[item.id]
            assert exported["text"] == item.text  # the clinician's language stays English
            assert translated(exported, "text") == {"es": spanish[f"items.{item.id}.text"]}
            carried += 1
            if not getattr(item, "options", None):
                continue  # yes/no: the codes of HL7's value set, not the form's own options
            for option in exported.get("answerOption", []):
                coding = option["valueCoding"]
                key = f"items.{item.id}.options.{coding['code']}"
                assert translated(coding, "display") == {"es": spanish[key]}
                carried += 1
        assert carried > 20, version.slug


def test_a_follow_up_and_a_help_text_carry_their_translation(questionnaires, clinician):
    client = token_client(clinician)
    resource = fhir_json(client.get("/api/v1/questionnaires/twitch_history/fhir/"))
    items = _items_by_link(resource["item"])
    version = QuestionnaireVersion.objects.get(slug="twitch_history")
    spanish = version.questionnaire.translations["es"]
    what = items["started_after.details.what"]
    assert translated(what, "text") == {"es": spanish["items.started_after.details.what.text"]}
    assert translated(items["areas.help"], "text") == {"es": spanish["items.areas.help"]}


@pytest.mark.parametrize("language", ["es", "en"])
def test_each_response_says_the_language_the_patient_read(questionnaires, clinician, language):
    invitation = services.create_invitation(
        patient_name="Lucía Inventada", date_of_birth=date(1984, 3, 9), clinic_reference="ES-2"
    )
    services.record_language(intake=invitation.intake, language=language)
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        answers = DEMO_ANSWERS[response.questionnaire_version.slug]
        services.save_answers(response=response, answers=answers, revision=0)
    intake = services.submit_intake(intake=invitation.intake)
    bundle = fhir_json(token_client(clinician).get(f"/api/v1/intakes/{intake.pk}/fhir/"))
    validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    questionnaires_by_url = {
        f"{r['url']}|{r['version']}": r for r in resources if r["resourceType"] == "Questionnaire"
    }
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == 5
    for response in responses:
        assert response["language"] == language
        check_response(questionnaires_by_url[response["questionnaire"]], response)
