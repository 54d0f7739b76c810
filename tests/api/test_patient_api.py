"""The patient side of the API: the invitation token in a header, answers saved by revision."""

from __future__ import annotations

from datetime import date, timedelta
from unittest.mock import ANY

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from intake import services
from intake.api import authentication
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, Intake

from .conftest import (
    CASEY_BORN,
    ROBIN_BORN,
    invitation_client,
    put_answers,
    stored_answers,
    token_client,
)

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
NO_CREDENTIALS = "Authentication credentials were not provided."
BAD_TOKEN = "This invitation token is not valid."
SEND_BIRTH_DATE = "Send the patient's date of birth in X-Intake-Birth-Date as YYYY-MM-DD."
WRONG_BIRTH_DATE = "The date of birth does not match."
TOO_MANY = "Too many tries. Wait a few minutes, then try again."
ENDPOINTS = [
    ("get", "/api/v1/patient/intake/"),
    ("put", "/api/v1/patient/responses/surgeries/"),
    ("post", "/api/v1/patient/submit/"),
]
SURGERY = {
    "surgery_kind": "spine_fusion",
    "surgery_description": "Fusion at L4-L5",
    "surgery_when": "2019-04",
    "surgery_side": "left",
}


def call(client: APIClient, method: str, url: str):
    if method == "put":
        return client.put(url, {"revision": 0, "answers": {"had_surgery": "no"}}, format="json")
    return getattr(client, method)(url)


def assert_nothing_leaks(response) -> None:
    text = response.content.decode()
    for private in ("Robin", "Testperson", "T-100", ROBIN_BORN, '"answers"', '"questionnaires"'):
        assert private not in text


@pytest.fixture
def saved(patient_client, invitation):
    """Robin has answered the surgeries questionnaire once (revision 1)."""
    answers = {"had_surgery": "yes", "surgery_list": [SURGERY]}
    response = put_answers(patient_client, "surgeries", answers)
    assert response.status_code == 200, response.json()
    return response.json()


# --- reading the intake ------------------------------------------------------------------------


def test_the_patient_reads_the_questionnaires_in_order_with_saved_answers(patient_client, saved):
    response = patient_client.get("/api/v1/patient/intake/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "in_progress"
    assert [q["questionnaire"] for q in body["questionnaires"]] == [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ]
    surgeries = body["questionnaires"][2]
    assert surgeries["revision"] == 1
    assert surgeries["answers"] == saved["answers"]
    assert surgeries["definition"]["id"] == "surgeries"
    assert body["questionnaires"][0]["answers"] == {}
    for private in ("Robin", "T-100", ROBIN_BORN):
        assert private not in response.content.decode()


def test_an_invitation_without_a_date_of_birth_needs_no_birth_date_header(questionnaires):
    invitation = services.create_invitation(patient_name="No Birthday", date_of_birth=None)
    response = invitation_client(invitation.token, born=None).get("/api/v1/patient/intake/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "invited"
    assert [q["questionnaire"] for q in body["questionnaires"]] == [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ]


def test_each_token_opens_only_its_own_intake(patient_client, saved, questionnaires):
    other = services.create_invitation(
        patient_name="Kim Otherperson", date_of_birth=date(1990, 1, 2)
    )
    response = invitation_client(other.token, born="1990-01-02").get("/api/v1/patient/intake/")
    assert response.status_code == 200
    assert all(q["answers"] == {} for q in response.json()["questionnaires"])
    assert "Fusion at L4-L5" not in response.content.decode()


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_no_token_is_401(invitation, method, url):
    response = call(APIClient(), method, url)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": NO_CREDENTIALS}
    assert response["WWW-Authenticate"] == "Intake-Token"


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_an_unknown_token_is_401(invitation, method, url):
    response = call(invitation_client("not-a-real-token"), method, url)
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": BAD_TOKEN}
    assert_nothing_leaks(response)


@pytest.mark.parametrize("token", ["x" * 201, "\x00", "../../etc/passwd", "tok\u00e9n"])
def test_odd_tokens_are_simply_unknown(invitation, token):
    client = APIClient()
    client.credentials(HTTP_X_INTAKE_TOKEN=token, HTTP_X_INTAKE_BIRTH_DATE=ROBIN_BORN)
    response = client.get("/api/v1/patient/intake/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": BAD_TOKEN}


@pytest.mark.parametrize("born", [None, "", "30/06/1975", "1975-6-30x", "\x00", "1975-02-30"])
def test_a_missing_or_malformed_birth_date_is_401(invitation, saved, born):
    response = put_answers(invitation_client(invitation.token, born=born), "surgeries", {}, 1)
    assert response.status_code == 401
    assert response.json() == {"code": "birth_date_required", "detail": SEND_BIRTH_DATE}
    assert_nothing_leaks(response)
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_a_wrong_birth_date_is_401_and_recorded(invitation, method, url):
    response = call(invitation_client(invitation.token, born="1975-06-29"), method, url)
    assert response.status_code == 401
    assert response.json() == {"code": "birth_date_mismatch", "detail": WRONG_BIRTH_DATE}
    assert_nothing_leaks(response)
    failed = AuditEvent.objects.get(action=Action.BIRTH_DATE_FAILED)
    assert failed.intake_id == invitation.intake.pk
    assert failed.ip_address == "127.0.0.1"
    assert Intake.objects.get(pk=invitation.intake.pk).status == Intake.Status.INVITED


def test_five_wrong_birth_dates_lock_the_invitation(invitation, saved, questionnaires):
    wrong = invitation_client(invitation.token, born="2000-01-01")
    right = invitation_client(invitation.token)
    with time_machine.travel(timezone.now(), tick=False):  # the lock's seconds, not the test's
        for _ in range(5):
            assert wrong.get("/api/v1/patient/intake/").status_code == 401
        locked = right.get("/api/v1/patient/intake/")
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "throttled",
        "detail": f"{TOO_MANY} Expected available in 900 seconds.",
    }
    assert locked["Retry-After"] == "900"
    assert put_answers(right, "surgeries", {"had_surgery": "no"}, 1).status_code == 429
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])
    # Another invitation is not locked by them.
    other = services.create_invitation(patient_name="Kim", date_of_birth=date(1990, 1, 2))
    assert (
        invitation_client(other.token, "1990-01-02").get("/api/v1/patient/intake/").status_code
        == 200
    )
    # The lock ends with its window.
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert right.get("/api/v1/patient/intake/").status_code == 200


def test_twenty_unknown_tokens_from_one_address_lock_that_address(invitation):
    with time_machine.travel(timezone.now(), tick=False):  # the lock's seconds, not the test's
        for number in range(20):
            response = invitation_client(f"guess-{number}").get("/api/v1/patient/intake/")
            assert response.status_code == 401
        locked = invitation_client(invitation.token).get("/api/v1/patient/intake/")
    assert locked.status_code == 429
    assert locked.json() == {
        "code": "throttled",
        "detail": f"{TOO_MANY} Expected available in 600 seconds.",
    }
    elsewhere = invitation_client(invitation.token, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.get("/api/v1/patient/intake/").status_code == 200


def test_too_many_calls_a_minute_on_one_invitation_are_throttled(patient_client, monkeypatch):
    monkeypatch.setattr(authentication, "CALLS_PER_MINUTE", 3)
    with time_machine.travel(timezone.now(), tick=False):  # the throttle's seconds, not the test's
        for _ in range(3):
            assert patient_client.get("/api/v1/patient/intake/").status_code == 200
        response = patient_client.get("/api/v1/patient/intake/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_a_staff_token_opens_no_patient_endpoint(clinician, invitation, saved, method, url):
    response = call(token_client(clinician), method, url)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": NO_CREDENTIALS}
    assert_nothing_leaks(response)
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_a_staff_session_opens_no_patient_endpoint(clinician, invitation):
    client = APIClient()
    client.force_login(clinician)
    response = client.get("/api/v1/patient/intake/")
    assert response.status_code == 401
    assert_nothing_leaks(response)


# --- saving answers ----------------------------------------------------------------------------


def test_saving_answers_stores_them_cleaned_and_moves_the_revision_on(patient_client, invitation):
    answers = {
        "had_surgery": "yes",
        "surgery_list": [{**SURGERY, "surgery_description": "  Fusion  "}],
    }
    response = put_answers(patient_client, "surgeries", answers)
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == 1
    [row] = body["answers"]["surgery_list"]
    assert row["surgery_description"] == "Fusion"
    assert len(row["_id"]) >= 6
    assert stored_answers(invitation.intake, "surgeries") == (1, body["answers"])
    assert Intake.objects.get(pk=invitation.intake.pk).status == Intake.Status.IN_PROGRESS
    event = AuditEvent.objects.get(action=Action.ANSWERS_SAVED)
    assert event.detail == {"questionnaire": "surgeries", "revision": 1, "device": ANY}
    assert len(event.detail["device"]) == 8  # which device saved, by a short hash of its key


def test_a_stale_revision_is_409_with_the_current_answers(patient_client, invitation, saved):
    response = put_answers(patient_client, "surgeries", {"had_surgery": "no"}, revision=0)
    assert response.status_code == 409
    assert response.json() == {
        "code": "revision_conflict",
        "detail": "These answers were changed elsewhere. Reload to see the latest.",
        "revision": 1,
        "answers": saved["answers"],
    }
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])
    # Retrying with the revision the 409 gave succeeds.
    retried = put_answers(patient_client, "surgeries", {"had_surgery": "no"}, revision=1)
    assert retried.status_code == 200
    assert retried.json() == {"revision": 2, "answers": {"had_surgery": "no"}}


def test_a_save_retried_after_its_reply_was_lost_is_200_with_the_current_revision(
    patient_client, invitation, saved
):
    # The first PUT (revision 0) committed but its reply never arrived; the client sends it again.
    retried = put_answers(patient_client, "surgeries", saved["answers"], revision=0)
    assert retried.status_code == 200
    assert retried.json() == {"revision": 1, "answers": saved["answers"]}
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_a_revision_from_the_future_is_409_too(patient_client, invitation, saved):
    response = put_answers(patient_client, "surgeries", {"had_surgery": "no"}, revision=7)
    assert response.status_code == 409
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_invalid_answers_are_400_keyed_by_item_and_by_group_row(patient_client, invitation, saved):
    answers = {
        "had_surgery": "yes",
        "surgery_list": [{**SURGERY, "surgery_when": "2999-01"}, "not an entry"],
        "surgery_planned": "perhaps",
        "favourite_colour": "blue",
    }
    response = put_answers(patient_client, "surgeries", answers, revision=1)
    assert response.status_code == 400
    assert response.json() == {
        "code": "answers_invalid",
        "detail": "Some answers need attention.",
        "errors": {
            "surgery_list[0].surgery_when": (
                "This is in the future. Enter a month and year up to now."
            ),
            "surgery_list[1]": "Expected an entry with answers.",
            "surgery_planned": "Choose Yes, No or Not sure.",
            "favourite_colour": "This question is not part of this form.",
        },
    }
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_a_number_out_of_range_is_400_by_item(patient_client, invitation):
    response = put_answers(patient_client, "twitch_history", {"bother": 11})
    assert response.status_code == 400
    assert response.json()["errors"] == {"bother": "Choose a number from 0 to 10."}
    assert stored_answers(invitation.intake, "twitch_history") == (0, {})


def test_an_answer_to_a_question_not_asked_is_a_400_naming_it(patient_client, invitation):
    response = put_answers(
        patient_client,
        "twitch_history",
        {
            "happening_now": "now",
            "stopped_when": "2020",
            "areas": ["calf_left"],
            "areas.other": "Thumb",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["stopped_when"].startswith(
        "You answered this, but it is only asked if you answered"
    )
    assert errors["areas.other"].startswith("You wrote this, but “Somewhere else” is not chosen")
    assert stored_answers(invitation.intake, "twitch_history") == (0, {})


@pytest.mark.parametrize("answers", [[], "yes", 3, None, [{"had_surgery": "yes"}]])
def test_answers_that_are_not_an_object_are_400(patient_client, invitation, saved, answers):
    response = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        {"revision": 1, "answers": answers},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request has problems."
    assert list(response.json()["errors"]) == ["answers"]
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


@pytest.mark.parametrize("revision", ["missing", None, -1, "one", 2**31, 1.5])
def test_a_missing_or_bad_revision_is_400(patient_client, invitation, saved, revision):
    body = {"answers": {"had_surgery": "no"}}
    if revision != "missing":
        body["revision"] = revision
    response = patient_client.put("/api/v1/patient/responses/surgeries/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["revision"]
    if revision == "missing":
        assert response.json()["errors"]["revision"] == "Send the revision, or an If-Match header."
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_malformed_json_is_400(patient_client, invitation, saved):
    response = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        '{"revision": 1, "answers": {',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


@pytest.mark.parametrize(
    "body",
    [
        [],
        "answers",
        {"revision": 1, "answers": {"\x00": "x"}},
        {"revision": 1, "answers": {"had_surgery": "\x00"}},
        {"revision": 1, "answers": {"surgery_list": {"0": SURGERY}, "had_surgery": "yes"}},
        {"revision": 1, "answers": {"had_surgery": "yes", "surgery_list": [SURGERY] * 50}},
        {"revision": 1, "answers": {"had_surgery": ["yes", "no"]}},
        {"revision": 1, "answers": {"had_surgery": {"nested": {"deeper": [1, 2, 3]}}}},
        {"revision": 1, "answers": {"k" * 1000: "v" * 10000}},
    ],
)
def test_bad_answer_input_is_a_400_never_a_500(patient_client, invitation, saved, body):
    response = patient_client.put("/api/v1/patient/responses/surgeries/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_nul_characters_in_text_answers_are_stored_without_them(patient_client, invitation):
    answers = {"had_surgery": "yes", "surgery_list": [{**SURGERY, "surgery_description": "a\x00b"}]}
    response = put_answers(patient_client, "surgeries", answers)
    assert response.status_code == 200
    assert "\x00" not in response.json()["answers"]["surgery_list"][0]["surgery_description"]


def test_a_questionnaire_not_in_this_intake_is_404(questionnaires):
    invitation = services.create_invitation(
        patient_name="Only Surgeries",
        date_of_birth=None,
        questionnaire_slugs=["surgeries"],
    )
    client = invitation_client(invitation.token, born=None)
    response = put_answers(client, "twitch_history", {"bother": 3})
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": "This intake has no questionnaire 'twitch_history'.",
    }
    unknown = put_answers(client, "astrology", {})
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "not_found",
        "detail": "This intake has no questionnaire 'astrology'.",
    }


def test_a_body_over_the_size_limit_is_413_and_nothing_changes(
    patient_client, invitation, saved, settings
):
    settings.MAX_REQUEST_BYTES = 500
    long_text = "x" * 600
    response = put_answers(
        patient_client,
        "surgeries",
        {"had_surgery": "yes", "surgery_list": [{**SURGERY, "surgery_description": long_text}]},
        revision=1,
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "detail": "The request is too large (over 500 bytes).",
    }
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


# --- closed intakes ----------------------------------------------------------------------------


def test_an_expired_intake_is_410_and_keeps_its_answers(patient_client, invitation, saved):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        for method, url in ENDPOINTS:
            response = call(patient_client, method, url)
            assert response.status_code == 410, (method, url)
            assert response.json() == {"code": "intake_closed", "detail": "This intake is expired."}
            assert_nothing_leaks(response)
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])


def test_a_cancelled_intake_is_410_and_keeps_its_answers(patient_client, invitation, saved):
    services.cancel_invitation(intake=invitation.intake, by=None)
    for method, url in ENDPOINTS:
        response = call(patient_client, method, url)
        assert response.status_code == 410, (method, url)
        assert response.json() == {"code": "intake_closed", "detail": "This intake is cancelled."}
    assert stored_answers(invitation.intake, "surgeries") == (1, saved["answers"])
    assert Intake.objects.get(pk=invitation.intake.pk).submitted_at is None


def test_a_submitted_intake_is_410_to_read_or_change(questionnaires):
    invitation = services.create_invitation(
        patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27)
    )
    client = invitation_client(invitation.token, born=CASEY_BORN)
    for slug, answers in DEMO_ANSWERS.items():
        assert put_answers(client, slug, answers).status_code == 200
    assert client.post("/api/v1/patient/submit/").status_code == 200

    read = client.get("/api/v1/patient/intake/")
    assert read.status_code == 410
    assert read.json() == {"code": "intake_closed", "detail": "This intake is submitted."}
    assert "Gabapentin" not in read.content.decode()
    change = put_answers(client, "medications", {"takes_medicines": "no"}, revision=1)
    assert change.status_code == 410
    assert change.json() == {"code": "intake_closed", "detail": "This intake is submitted."}
    assert stored_answers(invitation.intake, "medications") == (1, DEMO_ANSWERS["medications"])


# --- submitting --------------------------------------------------------------------------------


def test_submitting_twice_records_one_submission(questionnaires):
    invitation = services.create_invitation(
        patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27)
    )
    client = invitation_client(invitation.token, born=CASEY_BORN)
    for slug, answers in DEMO_ANSWERS.items():
        put_answers(client, slug, answers)
    first = client.post("/api/v1/patient/submit/")
    second = client.post("/api/v1/patient/submit/")
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "submitted"
    assert first.json() == second.json()
    assert AuditEvent.objects.filter(action=Action.INTAKE_SUBMITTED).count() == 1
    intake = Intake.objects.get(pk=invitation.intake.pk)
    assert intake.status == Intake.Status.SUBMITTED
    for response in intake.responses.all():
        assert response.answers_sha256 == services.answers_digest(response.answers)


def test_submitting_with_required_questions_unanswered_is_400(patient_client, invitation):
    answers = {"had_surgery": "yes", "surgery_list": [{"surgery_description": "Knee"}]}
    assert put_answers(patient_client, "surgeries", answers).status_code == 200
    response = patient_client.post("/api/v1/patient/submit/")
    assert response.status_code == 400
    assert response.json() == {
        "code": "intake_incomplete",
        "detail": "Some required questions are not answered yet.",
        "missing": {"surgeries": ["surgery_list[0].surgery_kind"]},
    }
    intake = Intake.objects.get(pk=invitation.intake.pk)
    assert intake.status == Intake.Status.IN_PROGRESS
    assert (
        stored_answers(intake, "surgeries")[1]["surgery_list"][0]["surgery_description"] == "Knee"
    )
    assert not AuditEvent.objects.filter(action=Action.INTAKE_SUBMITTED).exists()
