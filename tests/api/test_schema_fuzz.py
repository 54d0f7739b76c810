"""Schema-driven fuzzing: every operation, once per role, answers as its OpenAPI schema says.

The schema is read from the running app (`/api/schema/` through `intake.wsgi.application`),
then schemathesis generates requests for each operation with a fixed seed and a bounded number
of examples. Every response must be no server error, carry a documented status and content
type, and have a body that matches the documented schema. Requests that once answered 500 (or an
unfiltered list) are replayed by name in REFUSALS, so they stay fixed whatever the generator picks.
"""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
import schemathesis.specs.openapi.checks  # noqa: F401  (registers the OpenAPI checks)
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake, Response
from intake.wsgi import application

pytestmark = pytest.mark.django_db

# Schema-valid requests the API refuses by rules a schema cannot state (documented in the README
# and in each response's description): by the error's `code`, and for `invalid` the field.
DOCUMENTED_REFUSALS = {
    "answers_invalid": None,  # answers the questionnaire's definition does not allow
    "unknown_questionnaire": None,  # a slug that is not loaded
    "intake_closed": None,  # an earlier example cancelled the intake
    "revision_conflict": None,  # a stale revision or If-Match (409, 412)
    "idempotency_key_reused": None,  # an earlier example sent the same Idempotency-Key (422)
    "too_many": None,  # a media question's max_count reached by earlier examples
    "empty": None,  # an empty file sent as a photo or video
    "invalid": {
        "page",  # a page after the last one
        "date_of_birth",  # before 1900 or in the future
        "questionnaires",  # a slug asked twice
        "patient_name",  # a NUL character
        "revision",  # neither `revision` nor If-Match
        "If-Match",  # If-Match naming another revision than the body's
        "submitted_from",  # a day the pattern allows that the calendar has not (30 February)
        "submitted_to",
        "file",  # an empty file part (DRF: "The submitted file is empty.")
        # A null character, which no text field stores (DRF: "Null characters are not allowed.").
        "clinic_reference",
    },
}


def positive_data_refused_only_as_documented(ctx, response, case):
    """Schemathesis' positive_data_acceptance, but for the refusals in DOCUMENTED_REFUSALS."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("code") in DOCUMENTED_REFUSALS:
        fields = DOCUMENTED_REFUSALS[body["code"]]
        if fields is None or set(body.get("errors", {})) <= fields:
            return None
    return positive_data_acceptance(ctx, response, case)


# Every check schemathesis has (`--checks all`); one with the documented refusals allowed.
CHECKS = [
    positive_data_refused_only_as_documented if check is positive_data_acceptance else check
    for check in schemathesis.checks.CHECKS.get_all()
]
EXAMPLES = 15  # per operation, role and kind of data
# Operations with nothing to vary once the path and credentials are pinned (the PDF is slow).
FEW_EXAMPLES = 5
BORN = date(1970, 1, 2)


def served_over_tcp(environ, start_response):
    """The app as gunicorn or runserver serve it: with the client's address in REMOTE_ADDR.

    werkzeug's test client leaves it out; for the app without it, see
    test_clinic_api.py::test_a_request_without_a_client_address_is_not_a_server_error.
    """
    environ["REMOTE_ADDR"] = environ.get("REMOTE_ADDR") or "127.0.0.1"
    return application(environ, start_response)


@pytest.fixture(scope="module")
def schema():
    """Load the schema from the WSGI app, with Django's per-request connection closing off.

    The real WSGI handler closes "old" database connections at the start and end of every
    request, which would end the test's transaction; Django's own test client switches this
    off the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", served_over_tcp)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _open_intake_with_some_answers() -> services.Invitation:
    invitation = services.create_invitation(patient_name="Fuzz Person", date_of_birth=BORN)
    twitch = invitation.intake.responses.select_related("intake", "questionnaire_version").get(
        questionnaire_version__slug="twitch_history"
    )
    services.save_answers(response=twitch, answers=DEMO_ANSWERS["twitch_history"], revision=0)
    return invitation


def _credentials(role: str, clinician, front_desk, invitation) -> dict[str, str]:
    if role == "patient":
        return {
            "X-Intake-Token": invitation.token,
            "X-Intake-Birth-Date": BORN.isoformat(),
            "X-Intake-Device": "fuzz-device-" + "k" * 30,
        }
    user = clinician if role == "clinician" else front_desk
    _, token = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {token}"}


def _takes_data(operation) -> bool:
    """Whether anything is left to generate once the path and credentials are pinned."""
    return bool(operation.body) or bool(operation.query)


def _fuzz(operation, mode: GenerationMode, headers: dict, path: dict, failures: list) -> None:
    strategy = operation.as_strategy(
        generation_mode=mode,
        headers=headers,
        path_parameters={k: v for k, v in path.items() if k in operation.path_parameters},
    )

    @hypothesis_settings(
        max_examples=EXAMPLES if _takes_data(operation) else FEW_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis: a FailureGroup
            failures.append(f"{operation.label} ({mode.value}): {failure}")

    run()


@pytest.mark.parametrize("role", ["clinician", "front_desk", "patient"])
def test_every_operation_answers_as_documented(schema, questionnaires, clinician, front_desk, role):
    invitation = _open_intake_with_some_answers()
    headers = _credentials(role, clinician, front_desk, invitation)
    path = {
        "intake_id": str(invitation.intake.pk),
        "slug": "twitch_history",
        "item_id": "twitch_video",
    }
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 20

    for operation in operations:
        _fuzz(operation, GenerationMode.POSITIVE, headers, path, failures)
        if operation.path_parameters:
            # Unknown ids and slugs, valid in form: their 404s must be documented JSON too.
            _fuzz(operation, GenerationMode.POSITIVE, headers, {}, failures)
        if _takes_data(operation):
            # Bodies and queries that break the schema: still a documented answer, never a 5xx.
            _fuzz(operation, GenerationMode.NEGATIVE, headers, path, failures)

    assert not failures, "\n\n".join(failures)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


# Requests that once answered 500, or an unfiltered 200: (method, path, the case's parts).
REFUSALS = [
    ("GET", "/api/v1/intakes/", {"query": {"status": "AAA"}}),
    ("GET", "/api/v1/intakes/", {"query": {"page": 0}}),
    ("GET", "/api/v1/intakes/", {"query": {"page": 999}}),
    ("GET", "/api/v1/intakes/", {"query": {"page_size": 0}}),
    ("GET", "/api/v1/intakes/", {"query": {"page_size": 101}}),
    ("GET", "/api/v1/questionnaires/{slug}/", {"query": {"version": ""}}),
    (
        "POST",
        "/api/v1/intakes/",
        {"body": {"patient_name": "Twice", "questionnaires": ["medications", "medications"]}},
    ),
    ("POST", "/api/v1/intakes/", {"body": {"patient_name": "Old", "date_of_birth": "1899-12-31"}}),
    (
        "POST",
        "/api/v1/intakes/",
        {"body": {"patient_name": "Deep", "clinic_reference": _nested(200)}},
    ),
    (
        "PUT",
        "/api/v1/patient/responses/{slug}/",
        {"body": {"revision": 1, "answers": {"had_surgery": _nested(200)}}},
    ),
]


@pytest.mark.parametrize("role", ["clinician", "front_desk", "patient"])
def test_requests_that_once_failed_get_a_documented_400_and_store_nothing(
    schema, questionnaires, clinician, front_desk, role
):
    invitation = _open_intake_with_some_answers()
    headers = _credentials(role, clinician, front_desk, invitation)
    intakes_before = Intake.objects.count()
    answers_before = sorted(Response.objects.values_list("revision", flat=True))
    failures: list[str] = []
    for method, path, parts in REFUSALS:
        operation = schema[path][method]
        case = operation.Case(
            path_parameters={"slug": "twitch_history"} if "{slug}" in path else {},
            headers=headers,
            media_type="application/json" if "body" in parts else None,
            **parts,
        )
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis: a FailureGroup
            failures.append(f"{method} {path} {parts}: {failure}")
            continue
        is_patient_operation = path.startswith("/api/v1/patient/")
        if is_patient_operation == (role == "patient"):  # the caller may use this operation
            assert response.status_code == 400, (method, path, parts, response.status_code)
        else:
            assert response.status_code in (401, 403), (method, path, response.status_code)
    assert not failures, "\n\n".join(failures)
    assert Intake.objects.count() == intakes_before
    assert sorted(Response.objects.values_list("revision", flat=True)) == answers_before
