"""The API in the patient's language: definitions by Accept-Language, the intake's language."""

from __future__ import annotations

import pytest

from intake.models import Intake

from .conftest import invitation_client

pytestmark = pytest.mark.django_db


def _surgeries(response) -> dict:
    return next(q for q in response.json()["questionnaires"] if q["questionnaire"] == "surgeries")


def _item(definition: dict, item_id: str) -> dict:
    items = [item for section in definition["sections"] for item in section["items"]]
    while items:
        item = items.pop(0)
        if item["id"] == item_id:
            return item
        items += item.get("items") or []
    raise KeyError(item_id)


def test_a_spanish_caller_gets_the_definitions_in_spanish(invitation):
    client = invitation_client(invitation.token, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    response = client.get("/api/v1/patient/intake/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    surgeries = _surgeries(response)
    assert surgeries["title"] == "Cirugías y procedimientos"
    definition = surgeries["definition"]
    assert "translations" not in definition  # one language, the one named in Content-Language
    assert _item(definition, "had_surgery")["text"] == "¿Alguna vez lo han operado?"
    options = {o["value"]: o["label"] for o in _item(definition, "surgery_kind")["options"]}
    assert options["spine_not_sure"] == "Cirugía de la columna, no sé de qué tipo"  # codes stay


def test_without_accept_language_the_definitions_are_english(invitation):
    response = invitation_client(invitation.token).get("/api/v1/patient/intake/")
    assert response["Content-Language"] == "en"
    surgeries = _surgeries(response)
    assert surgeries["title"] == "Surgeries and procedures"
    assert _item(surgeries["definition"], "had_surgery")["text"] == "Have you ever had surgery?"
    assert "translations" not in surgeries["definition"]


@pytest.mark.parametrize(
    ("header", "language"),
    [("fr-FR, es;q=0.5", "es"), ("fr", "en"), ("ES", "es"), ("*", "en"), ("en-GB, es", "en")],
)
def test_the_first_supported_language_wins(invitation, header, language):
    client = invitation_client(invitation.token, HTTP_ACCEPT_LANGUAGE=header)
    assert client.get("/api/v1/patient/intake/")["Content-Language"] == language


def test_the_clinic_api_reports_the_language_the_patient_read(invitation, clinician_client):
    url = f"/api/v1/intakes/{invitation.intake.pk}/"
    assert clinician_client.get(url).json()["language"] == "en"
    spanish = invitation_client(invitation.token, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.get("/api/v1/patient/intake/").status_code == 200
    assert Intake.objects.get(pk=invitation.intake.pk).language == "es"
    assert clinician_client.get(url).json()["language"] == "es"
    listed = clinician_client.get("/api/v1/intakes/").json()["results"]
    assert [one["language"] for one in listed if one["id"] == str(invitation.intake.pk)] == ["es"]
