"""The clinic side of the API: who may call what, what each call returns, and every refusal."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, Intake

from ..pdf_text import assert_demo_summary
from .conftest import CASEY_BORN, invitation_client, token_client

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
NO_CREDENTIALS = "Authentication credentials were not provided."
NOT_YOUR_ROLE = "Your role does not allow this."
# Words only the answers hold (see intake/demo.py): none may reach a role that may not read them.
ANSWER_WORDS = ["Gabapentin", "Penicillin", "Microdiscectomy", "Magnesium", "worst after long"]


def clinic_endpoints(intake_id) -> list[tuple[str, str]]:
    base = f"/api/v1/intakes/{intake_id}"
    return [
        ("get", "/api/v1/intakes/"),
        ("post", "/api/v1/intakes/"),
        ("get", f"{base}/"),
        ("post", f"{base}/cancel/"),
        ("post", f"{base}/reissue/"),
        ("get", f"{base}/summary.pdf"),
        ("get", "/api/v1/questionnaires/"),
        ("get", "/api/v1/questionnaires/surgeries/"),
    ]


def call(client: APIClient, method: str, url: str, body=None):
    if method == "post":
        return client.post(url, body or {"patient_name": "Someone New"}, format="json")
    return client.get(url)


def assert_no_answers(response) -> None:
    text = response.content.decode()
    assert '"answers"' not in text
    for word in ANSWER_WORDS:
        assert word not in text


def create(client: APIClient, **fields):
    body = {"patient_name": "Jamie Newcomer", **fields}
    return client.post("/api/v1/intakes/", body, format="json")


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


# --- who may call what -------------------------------------------------------------------------


def test_anonymous_gets_401_with_a_json_detail_on_every_clinic_endpoint(submitted_intake):
    for method, url in clinic_endpoints(submitted_intake.pk):
        response = call(APIClient(), method, url)
        assert response.status_code == 401, (method, url)
        assert response.json() == {"code": "not_authenticated", "detail": NO_CREDENTIALS}, (
            method,
            url,
        )
        assert response["WWW-Authenticate"] == "Bearer"
        assert "Casey" not in response.content.decode()
    assert Intake.objects.count() == 1


def test_a_patient_token_opens_no_clinic_endpoint(submitted_intake, invitation):
    patient = invitation_client(invitation.token)
    for method, url in clinic_endpoints(submitted_intake.pk):
        response = call(patient, method, url)
        assert response.status_code == 401, (method, url)
        assert response.json() == {"code": "not_authenticated", "detail": NO_CREDENTIALS}
        assert "Casey" not in response.content.decode()
        assert "Robin" not in response.content.decode()
    assert Intake.objects.get(pk=submitted_intake.pk).status == Intake.Status.SUBMITTED


def test_front_desk_lists_intakes_without_answers(front_desk_client, submitted_intake):
    response = front_desk_client.get("/api/v1/intakes/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["patient_name"] == "Casey Placeholder"
    assert row["status"] == "submitted"
    assert_no_answers(response)


def test_front_desk_creates_an_invitation(front_desk_client, front_desk, questionnaires):
    response = create(front_desk_client, date_of_birth="1990-01-02", clinic_reference="FD-1")
    assert response.status_code == 201
    intake = Intake.objects.get(pk=response.json()["id"])
    assert intake.created_by == front_desk
    assert intake.clinic_reference == "FD-1"


def test_front_desk_cancels_and_reissues(front_desk_client, invitation):
    reissued = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/reissue/")
    assert reissued.status_code == 200
    cancelled = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert_no_answers(reissued)
    assert_no_answers(cancelled)


def test_front_desk_reads_questionnaire_definitions(front_desk_client, questionnaires):
    listed = front_desk_client.get("/api/v1/questionnaires/")
    assert listed.status_code == 200
    assert [(q["slug"], q["title"]) for q in listed.json()] == [
        ("twitch_history", "Muscle twitching"),
        ("back_injury", "Back and neck"),
        ("surgeries", "Surgeries and procedures"),
        ("medications", "Medicines and supplements"),
        ("health_background", "About your health"),
    ]
    one = front_desk_client.get("/api/v1/questionnaires/surgeries/")
    assert one.status_code == 200
    definition = one.json()["definition"]
    assert definition["id"] == "surgeries"
    assert definition["sections"][0]["items"][0]["text"] == "Have you ever had surgery?"


@pytest.mark.parametrize("suffix", ["/", "/summary.pdf"])
def test_front_desk_may_not_read_answers_or_the_pdf(
    front_desk_client, front_desk, submitted_intake, suffix
):
    response = front_desk_client.get(f"/api/v1/intakes/{submitted_intake.pk}{suffix}")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "permission_denied", "detail": NOT_YOUR_ROLE}
    assert "Casey" not in response.content.decode()
    assert_no_answers(response)
    denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert denied.actor == front_desk
    assert denied.intake_id == submitted_intake.pk
    assert denied.detail["permission"] == "intake.view_answers"
    assert not AuditEvent.objects.filter(action__in=[Action.SUMMARY_VIEWED, Action.PDF_DOWNLOADED])


def test_front_desk_asking_for_a_pdf_still_gets_a_json_refusal(front_desk_client, submitted_intake):
    response = front_desk_client.get(
        f"/api/v1/intakes/{submitted_intake.pk}/summary.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "detail": NOT_YOUR_ROLE}


def test_a_user_without_a_role_is_refused_everywhere(django_user_model, submitted_intake):
    nobody = token_client(django_user_model.objects.create_user("norole", password="x" * 20))
    for method, url in clinic_endpoints(submitted_intake.pk):
        response = call(nobody, method, url)
        assert response.status_code == 403, (method, url)
        assert response.json() == {"code": "permission_denied", "detail": NOT_YOUR_ROLE}
        assert "Casey" not in response.content.decode()


def test_clinician_may_call_every_clinic_endpoint(clinician_client, submitted_intake, invitation):
    open_id = invitation.intake.pk
    calls = [
        ("get", "/api/v1/intakes/", 200),
        ("post", "/api/v1/intakes/", 201),
        ("get", f"/api/v1/intakes/{submitted_intake.pk}/", 200),
        ("get", f"/api/v1/intakes/{submitted_intake.pk}/summary.pdf", 200),
        ("post", f"/api/v1/intakes/{open_id}/reissue/", 200),
        ("post", f"/api/v1/intakes/{open_id}/cancel/", 200),
        ("get", "/api/v1/questionnaires/", 200),
        ("get", "/api/v1/questionnaires/surgeries/", 200),
    ]
    for method, url, status in calls:
        assert call(clinician_client, method, url).status_code == status, (method, url)


# --- authentication ----------------------------------------------------------------------------


def test_a_token_from_create_api_token_acts_with_the_users_role(clinician, submitted_intake):
    out = StringIO()
    call_command("create_api_token", "clinician", stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    response = client.get(f"/api/v1/intakes/{submitted_intake.pk}/")
    assert response.status_code == 200
    viewed = AuditEvent.objects.get(action=Action.SUMMARY_VIEWED)
    assert viewed.actor == clinician
    assert viewed.detail == {"via": "api"}


def test_an_expired_token_is_refused_and_removed(clinician, questionnaires):
    instance, token = AuthToken.objects.create(user=clinician, expiry=timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/intakes/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = client.get("/api/v1/intakes/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_an_unknown_token_is_refused(questionnaires):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    response = client.get("/api/v1/intakes/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}


def test_the_token_of_a_deactivated_user_is_refused(clinician, questionnaires):
    client = token_client(clinician)
    clinician.is_active = False
    clinician.save()
    response = client.get("/api/v1/intakes/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "User inactive or deleted.",
    }


def test_a_signed_in_session_works_but_writes_need_the_csrf_token(front_desk, questionnaires):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(front_desk)
    assert client.get("/api/v1/intakes/").status_code == 200

    refused = create(client)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert not Intake.objects.exists()

    secret = "a" * 32
    client.cookies[django_settings.CSRF_COOKIE_NAME] = secret
    accepted = client.post(
        "/api/v1/intakes/", {"patient_name": "Jamie"}, format="json", HTTP_X_CSRFTOKEN=secret
    )
    assert accepted.status_code == 201
    assert Intake.objects.count() == 1


# --- listing -----------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_paginated(clinician_client, questionnaires):
    for number in range(3):
        services.create_invitation(patient_name=f"Person {number}", date_of_birth=None)
    first = clinician_client.get("/api/v1/intakes/", {"page_size": 2}).json()
    assert first["count"] == 3
    assert [row["patient_name"] for row in first["results"]] == ["Person 2", "Person 1"]
    assert first["previous"] is None
    second = clinician_client.get(first["next"]).json()
    assert [row["patient_name"] for row in second["results"]] == ["Person 0"]
    assert second["next"] is None


def test_the_list_searches_names_and_exact_references(
    clinician_client, submitted_intake, invitation
):
    by_name = clinician_client.get("/api/v1/intakes/", {"q": "placeholder"}).json()
    assert [row["id"] for row in by_name["results"]] == [str(submitted_intake.pk)]
    by_reference = clinician_client.get("/api/v1/intakes/", {"q": "t-100"}).json()
    assert [row["patient_name"] for row in by_reference["results"]] == ["Robin Testperson"]
    partial_reference = clinician_client.get("/api/v1/intakes/", {"q": "T-10"}).json()
    assert partial_reference["count"] == 0


def test_the_list_filters_by_status(clinician_client, submitted_intake, invitation):
    submitted = clinician_client.get("/api/v1/intakes/", {"status": "submitted"}).json()
    assert [row["patient_name"] for row in submitted["results"]] == ["Casey Placeholder"]
    invited = clinician_client.get("/api/v1/intakes/", {"status": "invited"}).json()
    assert [row["patient_name"] for row in invited["results"]] == ["Robin Testperson"]
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        expired = clinician_client.get("/api/v1/intakes/", {"status": "expired"}).json()
    assert [row["status"] for row in expired["results"]] == ["expired"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"page": "-1"}, "Ensure this value is greater than or equal to 1."),
        ({"page": "abc"}, "A valid integer is required."),
        ({"page": ""}, "A valid integer is required."),
        ({"page": "99999999999999999999"}, "Ensure this value is less than or equal to"),
        ({"page": "2"}, "There is no such page: it is after the last one."),
        ({"page_size": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"page_size": "-5"}, "Ensure this value is greater than or equal to 1."),
        ({"page_size": "101"}, "Ensure this value is less than or equal to 100."),
        ({"page_size": "many"}, "A valid integer is required."),
        ({"status": "AAA"}, '"AAA" is not a valid choice.'),
        ({"status": ""}, '"" is not a valid choice.'),
        ({"status": "\x00"}, "is not a valid choice."),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
    ],
)
def test_a_list_query_the_api_cannot_honour_is_a_400_naming_the_parameter(
    clinician_client, invitation, query, message
):
    response = clinician_client.get("/api/v1/intakes/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has problems."
    assert list(body["errors"]) == list(query)
    assert message in body["errors"][next(iter(query))]
    assert "Robin" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "%_\\'\""},
        {"q": "x" * 5000},
        {"q": ""},
        {"page": "1", "page_size": "100"},
    ],
)
def test_odd_list_queries_never_fail(clinician_client, invitation, query):
    response = clinician_client.get("/api/v1/intakes/", query)
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


# --- creating an invitation --------------------------------------------------------------------


def test_creating_an_invitation_returns_the_link_once(clinician_client, clinician, questionnaires):
    response = create(
        clinician_client,
        date_of_birth="1990-05-06",
        clinic_reference=" REF-9 ",
        questionnaires=["surgeries", "medications"],
        expires_in_days=3,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["link"].startswith("https://intake.example.test/i/")
    assert body["status"] == "invited"
    assert body["clinic_reference"] == "REF-9"
    assert body["date_of_birth"] == "1990-05-06"
    intake = Intake.objects.get(pk=body["id"])
    assert [r.questionnaire_version.slug for r in intake.responses.order_by("position")] == [
        "surgeries",
        "medications",
    ]
    assert timedelta(days=2, hours=23) < intake.expires_at - timezone.now() <= timedelta(days=3)
    token = token_of(body["link"])
    assert token not in intake.token_hash
    assert AuditEvent.objects.get(action=Action.INVITATION_CREATED).actor == clinician
    # The link works for the patient, with the date of birth.
    patient = invitation_client(token, born="1990-05-06")
    assert patient.get("/api/v1/patient/intake/").status_code == 200


def test_all_current_questionnaires_are_asked_when_none_are_named(clinician_client, questionnaires):
    response = create(clinician_client)
    intake = Intake.objects.get(pk=response.json()["id"])
    assert [r.questionnaire_version.slug for r in intake.responses.order_by("position")] == [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ]


def test_about_your_health_can_be_left_out(clinician_client, questionnaires):
    four = ["twitch_history", "back_injury", "surgeries", "medications"]
    response = create(clinician_client, questionnaires=four)
    assert response.status_code == 201
    intake = Intake.objects.get(pk=response.json()["id"])
    assert [r.questionnaire_version.slug for r in intake.responses.order_by("position")] == four


def test_the_link_never_appears_in_the_list_or_the_detail(clinician_client, questionnaires):
    created = create(clinician_client).json()
    token = token_of(created["link"])
    listed = clinician_client.get("/api/v1/intakes/")
    detail = clinician_client.get(f"/api/v1/intakes/{created['id']}/")
    for response in (listed, detail):
        assert response.status_code == 200
        assert token not in response.content.decode()
        assert "/i/" not in response.content.decode()
    assert "link" not in listed.json()["results"][0]
    assert "link" not in detail.json()


def test_a_missing_patient_name_is_refused_by_field(clinician_client, questionnaires):
    response = clinician_client.post("/api/v1/intakes/", {"clinic_reference": "X"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "The request has problems.",
        "errors": {"patient_name": "This field is required."},
    }
    assert not Intake.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(clinician_client, questionnaires):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = create(clinician_client, date_of_birth=tomorrow)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date_of_birth": "The date of birth cannot be in the future."
    }
    assert not Intake.objects.exists()


def test_an_unknown_questionnaire_in_the_list_is_refused(clinician_client, questionnaires):
    response = create(clinician_client, questionnaires=["surgeries", "astrology"])
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_questionnaire",
        "detail": "Unknown questionnaire: astrology.",
        "errors": {"questionnaires": "Unknown questionnaire: astrology."},
    }
    assert not Intake.objects.exists()


def test_no_invitation_before_questionnaires_are_loaded(clinician_client):
    response = create(clinician_client)
    assert response.status_code == 400
    assert response.json()["detail"] == "No questionnaires are loaded yet."


def test_malformed_json_is_refused(clinician_client, questionnaires):
    response = clinician_client.post(
        "/api/v1/intakes/", '{"patient_name": "Jamie"', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert not Intake.objects.exists()


def test_a_form_encoded_body_is_refused_as_unsupported(clinician_client, questionnaires):
    response = clinician_client.post("/api/v1/intakes/", {"patient_name": "Jamie"})
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"patient_name": ""}, "patient_name"),
        ({"patient_name": None}, "patient_name"),
        ({"patient_name": "x" * 201}, "patient_name"),
        ({"patient_name": "Nul\x00Byte"}, "patient_name"),
        ({"patient_name": ["Jamie"]}, "patient_name"),
        ({"patient_name": "Jamie", "date_of_birth": "1990-13-01"}, "date_of_birth"),
        ({"patient_name": "Jamie", "date_of_birth": "yesterday"}, "date_of_birth"),
        ({"patient_name": "Jamie", "clinic_reference": "x" * 65}, "clinic_reference"),
        ({"patient_name": "Jamie", "clinic_reference": "a\x00"}, "clinic_reference"),
        ({"patient_name": "Jamie", "questionnaires": []}, "questionnaires"),
        ({"patient_name": "Jamie", "questionnaires": "surgeries"}, "questionnaires"),
        ({"patient_name": "Jamie", "questionnaires": ["not a slug"]}, "questionnaires"),
        ({"patient_name": "Jamie", "questionnaires": [{"slug": "x"}]}, "questionnaires"),
        ({"patient_name": "Jamie", "questionnaires": ["surgeries"] * 21}, "questionnaires"),
        ({"patient_name": "Jamie", "expires_in_days": 0}, "expires_in_days"),
        ({"patient_name": "Jamie", "expires_in_days": 91}, "expires_in_days"),
        ({"patient_name": "Jamie", "expires_in_days": "soon"}, "expires_in_days"),
        ({"patient_name": "Jamie", "expires_in_days": 10**30}, "expires_in_days"),
        ([], "non_field_errors"),
        ("Jamie", "non_field_errors"),
        (42, "non_field_errors"),
    ],
)
def test_bad_invitation_input_is_a_400_naming_the_field(
    clinician_client, questionnaires, body, field
):
    response = clinician_client.post("/api/v1/intakes/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The request has problems."
    assert list(response.json()["errors"]) == [field]
    assert not Intake.objects.exists()


def test_a_body_over_the_size_limit_is_413(clinician_client, questionnaires, settings):
    settings.MAX_REQUEST_BYTES = 300
    response = create(clinician_client, clinic_reference="R", padding="x" * 400)
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "detail": "The request is too large (over 300 bytes).",
    }
    assert not Intake.objects.exists()
    assert create(clinician_client).status_code == 201


def test_a_request_without_a_client_address_is_not_a_server_error(clinician, questionnaires):
    client = APIClient(REMOTE_ADDR="")
    client.force_authenticate(clinician)
    assert create(client).status_code == 201
    assert AuditEvent.objects.filter(action="invitation_created").get().ip_address is None


# --- reading one intake ------------------------------------------------------------------------


def test_a_clinician_reads_every_answer(clinician_client, submitted_intake):
    response = clinician_client.get(f"/api/v1/intakes/{submitted_intake.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    body = response.json()
    assert body["patient_name"] == "Casey Placeholder"
    assert body["date_of_birth"] == CASEY_BORN
    assert body["status"] == "submitted"
    assert [r["questionnaire"] for r in body["responses"]] == list(DEMO_ANSWERS)
    assert {r["questionnaire"]: r["answers"] for r in body["responses"]} == DEMO_ANSWERS
    for row in body["responses"]:
        assert row["answers_sha256"] == services.answers_digest(row["answers"])
        assert row["submitted_at"] is not None
    assert AuditEvent.objects.filter(action=Action.SUMMARY_VIEWED).count() == 1


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", "/"), ("post", "/cancel/"), ("post", "/reissue/"), ("get", "/summary.pdf")],
)
def test_an_unknown_intake_is_404(clinician_client, questionnaires, method, suffix):
    url = "/api/v1/intakes/00000000-0000-4000-8000-000000000000" + suffix
    response = getattr(clinician_client, method)(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "No Intake matches the given query."}


# --- cancelling and re-issuing -----------------------------------------------------------------


def test_cancelling_stops_the_link_and_keeps_the_answers(front_desk_client, invitation):
    patient = invitation_client(invitation.token)
    saved = patient.put(
        "/api/v1/patient/responses/surgeries/",
        {"revision": 0, "answers": {"had_surgery": "no"}},
        format="json",
    )
    assert saved.status_code == 200
    response = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert patient.get("/api/v1/patient/intake/").status_code == 410
    again = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/cancel/")
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action=Action.INVITATION_CANCELLED).count() == 1
    surgeries = invitation.intake.responses.get(questionnaire_version__slug="surgeries")
    assert surgeries.answers == {"had_surgery": "no"}


def test_a_submitted_intake_cannot_be_cancelled(front_desk_client, submitted_intake):
    response = front_desk_client.post(f"/api/v1/intakes/{submitted_intake.pk}/cancel/")
    assert response.status_code == 410
    assert response.json() == {"code": "intake_closed", "detail": "This intake is submitted."}
    assert Intake.objects.get(pk=submitted_intake.pk).status == Intake.Status.SUBMITTED


def test_reissuing_gives_a_new_link_and_the_old_one_stops(front_desk_client, invitation):
    old = invitation_client(invitation.token)
    assert old.get("/api/v1/patient/intake/").status_code == 200
    response = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/reissue/")
    assert response.status_code == 200
    link = response.json()["link"]
    assert token_of(link) != invitation.token
    refused = old.get("/api/v1/patient/intake/")
    assert refused.status_code == 401
    assert refused.json() == {
        "code": "authentication_failed",
        "detail": "This invitation token is not valid.",
    }
    assert invitation_client(token_of(link)).get("/api/v1/patient/intake/").status_code == 200


def test_an_expired_intake_can_be_reissued(front_desk_client, invitation):
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        response = front_desk_client.post(f"/api/v1/intakes/{invitation.intake.pk}/reissue/")
        assert response.status_code == 200
        assert response.json()["status"] == "invited"
        patient = invitation_client(token_of(response.json()["link"]))
        assert patient.get("/api/v1/patient/intake/").status_code == 200


@pytest.mark.parametrize("status", ["cancelled", "submitted"])
def test_a_closed_intake_cannot_be_reissued(
    front_desk_client, submitted_intake, invitation, status
):
    intake = submitted_intake if status == "submitted" else invitation.intake
    if status == "cancelled":
        services.cancel_invitation(intake=intake, by=None)
    response = front_desk_client.post(f"/api/v1/intakes/{intake.pk}/reissue/")
    assert response.status_code == 410
    assert response.json() == {"code": "intake_closed", "detail": f"This intake is {status}."}
    assert "link" not in response.json()


# --- the PDF -----------------------------------------------------------------------------------


def test_a_clinician_downloads_the_pdf(clinician_client, clinician, submitted_intake):
    response = clinician_client.get(f"/api/v1/intakes/{submitted_intake.pk}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    assert_demo_summary(response.content, patient="Casey Placeholder", reference="CHART-42")
    assert AuditEvent.objects.get(action=Action.PDF_DOWNLOADED).actor == clinician


def test_asking_for_the_pdf_by_its_media_type_works(clinician_client, submitted_intake):
    """Swagger UI, and most HTTP libraries told to fetch a PDF, send `Accept: application/pdf`."""
    response = clinician_client.get(
        f"/api/v1/intakes/{submitted_intake.pk}/summary.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_demo_summary(response.content, patient="Casey Placeholder", reference="CHART-42")


# --- questionnaire definitions -----------------------------------------------------------------


def test_the_questionnaire_list_is_in_the_clinics_order(front_desk_client, questionnaires):
    response = front_desk_client.get("/api/v1/questionnaires/")
    assert response.status_code == 200
    assert [(q["slug"], q["version"]) for q in response.json()] == [
        ("twitch_history", 1),
        ("back_injury", 1),
        ("surgeries", 1),
        ("medications", 1),
        ("health_background", 1),
    ]
    assert all(len(q["content_hash"]) == 64 for q in response.json())


def test_a_questionnaire_definition_by_slug_and_version(front_desk_client, questionnaires):
    current = front_desk_client.get("/api/v1/questionnaires/surgeries/")
    assert current.status_code == 200
    assert current.json()["title"] == "Surgeries and procedures"
    assert current.json()["definition"]["id"] == "surgeries"
    pinned = front_desk_client.get("/api/v1/questionnaires/surgeries/", {"version": "1"})
    assert pinned.json() == current.json()


@pytest.mark.parametrize(
    ("slug", "version"),
    [
        ("astrology", ""),
        ("surgeries", "2"),
        ("astrology", "1"),
    ],
)
def test_an_unknown_questionnaire_or_version_is_404(
    front_desk_client, questionnaires, slug, version
):
    query = {"version": version} if version else {}
    response = front_desk_client.get(f"/api/v1/questionnaires/{slug}/", query)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


@pytest.mark.parametrize(
    "version",
    [
        "",
        "0",
        "-1",
        "one",
        "\u00b2",  # "²": a digit to str.isdigit(), not to int()
        "99999999999999999999",
    ],
)
def test_a_version_that_is_not_a_version_number_is_a_400_naming_it(
    front_desk_client, questionnaires, version
):
    response = front_desk_client.get("/api/v1/questionnaires/surgeries/", {"version": version})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


# --- the published description -----------------------------------------------------------------


def test_the_schema_and_docs_are_served_without_signing_in():
    schema = APIClient().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/intakes/{intake_id}/summary.pdf" in paths
    docs = APIClient().get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"unpkg.com" not in docs.content and b"cdn.jsdelivr" not in docs.content


def test_an_invitation_without_date_of_birth_is_allowed(clinician_client, questionnaires):
    response = create(clinician_client, date_of_birth=None)
    assert response.status_code == 201
    assert response.json()["date_of_birth"] is None
    intake = Intake.objects.get(pk=response.json()["id"])
    assert intake.date_of_birth is None
