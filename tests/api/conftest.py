"""API fixtures: a client per role, holding its credentials the way real callers send them."""

from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

ROBIN_BORN = "1975-06-30"  # the `invitation` fixture's patient
CASEY_BORN = "1966-02-27"  # the `submitted_intake` fixture's patient


def token_client(user) -> APIClient:
    """Return a client sending a fresh knox token for `user` (`Authorization: Token ...`)."""
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def device_key(name: str) -> str:
    """Return a device key a patient's app could have made (the same for the same name)."""
    return f"device-{name}".ljust(40, "x")[:100]


def invitation_client(
    token: str, born: str | None = ROBIN_BORN, device: str | None = "patient-phone", **extra
) -> APIClient:
    """Return a client sending an invitation's token, the date of birth when given, and the
    key of the patient's device (one device unless a test names another)."""
    client = APIClient()
    headers = {"HTTP_X_INTAKE_TOKEN": token, **extra}
    if device is not None:
        headers["HTTP_X_INTAKE_DEVICE"] = device_key(device)
    if born is not None:
        headers["HTTP_X_INTAKE_BIRTH_DATE"] = born
    client.credentials(**headers)
    return client


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()


@pytest.fixture
def clinician_client(clinician) -> APIClient:
    return token_client(clinician)


@pytest.fixture
def front_desk_client(front_desk) -> APIClient:
    return token_client(front_desk)


@pytest.fixture
def patient_client(invitation) -> APIClient:
    """Robin Testperson's invitation: the token and the right date of birth."""
    return invitation_client(invitation.token)


def put_answers(client: APIClient, slug: str, answers, revision=0, **extra):
    return client.put(
        f"/api/v1/patient/responses/{slug}/",
        {"revision": revision, "answers": answers},
        format="json",
        **extra,
    )


def stored_answers(intake, slug: str) -> tuple[int, dict]:
    """Return the revision and answers stored for one questionnaire of an intake."""
    response = intake.responses.get(questionnaire_version__slug=slug)
    return response.revision, response.answers
