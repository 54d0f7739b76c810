"""The Permissions-Policy header: features no page uses are off on every kind of response."""

from __future__ import annotations

import pytest
from django.test import Client

from ..api.conftest import invitation_client

pytestmark = pytest.mark.django_db

MUST_BE_OFF = {
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "midi",
    "display-capture",
    "publickey-credentials-get",
}


def switched_off(response) -> set[str]:
    header = response.get("Permissions-Policy", "")
    features = dict(part.strip().split("=", 1) for part in header.split(",") if part.strip())
    return {feature for feature, allowed in features.items() if allowed == "()"}


@pytest.fixture
def responses(clinician, invitation, settings):
    staff = Client()
    staff.force_login(clinician)
    anonymous = Client()
    pages = {
        "patient link": anonymous.get(f"/i/{invitation.token}/"),
        "patient verify": anonymous.get("/patient/verify/"),
        "sign in": Client().get("/accounts/login/"),
        "clinic dashboard": staff.get("/clinic/"),
        "clinic new invitation": staff.get("/clinic/invitations/new/"),
        "api": staff.get("/api/v1/intakes/"),
        "patient api": invitation_client(invitation.token).get("/api/v1/patient/intake/"),
        "api docs": anonymous.get("/api/docs/"),
        "api schema": anonymous.get("/api/schema/"),
        "static file": anonymous.get("/static/intake/intake.css"),
        "404": anonymous.get("/no/such/page/"),
        "health": anonymous.get("/healthz"),
    }
    settings.MAX_REQUEST_BYTES = 100
    pages["413"] = anonymous.post("/accounts/login/", {"username": "x" * 200})
    return pages


def test_every_kind_of_response_switches_off_camera_microphone_and_the_rest(responses):
    assert responses["static file"].status_code == 200
    assert responses["413"].status_code == 413
    for label, response in responses.items():
        assert switched_off(response) >= MUST_BE_OFF, label


def test_the_copy_link_button_may_still_write_to_the_clipboard(responses):
    for label, response in responses.items():
        assert "clipboard-write" not in response["Permissions-Policy"], label
