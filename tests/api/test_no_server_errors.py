"""Requests that once answered 500: each now gets a clear 4xx and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.models import AuditEvent, Intake

from .conftest import invitation_client, put_answers, stored_answers, token_client

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 1_000, 10_000])
def test_deeply_nested_json_to_the_invitation_endpoint_is_a_400(clinician, questionnaires, depth):
    client = token_client(clinician)
    body = '{"patient_name": "Deep Person", "clinic_reference": ' + nested(depth) + "}"
    response = client.generic("POST", "/api/v1/intakes/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert not Intake.objects.exists()


@pytest.mark.parametrize("depth", [33, 10_000])
def test_deeply_nested_answers_are_a_400_and_change_nothing(invitation, depth):
    client = invitation_client(invitation.token)
    body = '{"revision": 0, "answers": {"had_surgery": ' + nested(depth) + "}}"
    response = client.generic(
        "PUT", "/api/v1/patient/responses/surgeries/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert stored_answers(invitation.intake, "surgeries") == (0, {})


def test_answers_nested_as_deep_as_a_repeating_group_are_still_read(invitation):
    client = invitation_client(invitation.token)
    response = put_answers(client, "surgeries", {"had_surgery": "no"})
    assert response.status_code == 200


def test_the_same_questionnaire_twice_is_a_400_naming_the_field(clinician, questionnaires):
    response = token_client(clinician).post(
        "/api/v1/intakes/",
        {"patient_name": "Twice Person", "questionnaires": ["medications", "medications"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "questionnaires": "Each questionnaire can be asked once: medications is repeated."
    }
    assert not Intake.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation_created").exists()


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("1899-12-31", "The date of birth cannot be before 1900."),
        ("0001-01-01", "The date of birth cannot be before 1900."),
        (None, "The date of birth cannot be in the future."),  # tomorrow
    ],
)
def test_a_date_of_birth_before_1900_or_in_the_future_is_refused(
    clinician, questionnaires, born, message
):
    born = born or (timezone.localdate() + timedelta(days=1)).isoformat()
    response = token_client(clinician).post(
        "/api/v1/intakes/", {"patient_name": "Old Person", "date_of_birth": born}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"date_of_birth": message}
    assert not Intake.objects.exists()


def test_the_first_day_of_1900_is_accepted(clinician, questionnaires):
    response = token_client(clinician).post(
        "/api/v1/intakes/",
        {"patient_name": "Old Person", "date_of_birth": "1900-01-01"},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("role", ["anonymous", "clinician", "front_desk", "patient"])
def test_the_api_docs_page_answers_other_methods_with_405_for_every_role(
    role, clinician, front_desk, invitation
):
    if role in ("clinician", "front_desk"):
        client = Client()
        client.force_login(clinician if role == "clinician" else front_desk)
    elif role == "patient":
        client = Client(headers={"X-Intake-Token": invitation.token})
    else:
        client = Client()
    for method in ("options", "post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/docs/")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD", method
    assert client.get("/api/docs/").status_code == 200
