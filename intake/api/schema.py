"""Shared OpenAPI pieces: security schemes, headers, typed answers and definitions, errors.

Every API view (and any endpoint added later) describes itself with these, so that generated
clients see one convention: security as schemes, headers as patterned strings, answers and
definitions as real types, and every error as `ErrorSerializer` with its possible `code`s.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from ..questionnaires.schema import Questionnaire
from .errors import ErrorSerializer
from .fields import DEFINITION_NAME, AnswersField, DefinitionField  # noqa: F401  (one home)

DEVICE_KEY_PATTERN = r"^[A-Za-z0-9_-]{32,100}$"  # intake.patient.device.valid_key
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")

# A header typed as `format: date` makes some generators drop the whole operation: a string
# with a pattern, documented as a date, is kept by all of them.
BIRTH_DATE = OpenApiParameter(
    "X-Intake-Birth-Date",
    str,
    OpenApiParameter.HEADER,
    pattern=DATE_PATTERN,
    description="The patient's date of birth (YYYY-MM-DD), when the invitation has one.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    pattern=r"^[\x21-\x7e]{1,255}$",
    description=(
        "Any unique string (a UUID is best). A retry with the same key within 24 hours creates "
        "nothing: it answers 409 `already_created` with the intake's id (the link's token is "
        "never stored: re-issue the link). The same key with a different body is 422."
    ),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    pattern=r'^(W/)?"\d+"$',
    description=(
        'The revision being replaced as an entity tag (`"3"`: the `revision` read with the '
        "intake, or the last save's ETag), instead of the body's `revision`. A stale one is 412 "
        "with the conflict body."
    ),
)

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    pattern=r"^[A-Za-z0-9*,;=. -]{1,255}$",  # language ranges with q-values (RFC 9110)
    description=(
        "The language of the questionnaire texts: `en` or `es` (`es-MX` and the like give "
        "`es`); the first one supported wins, English when none is. `Content-Language` names "
        "the language used."
    ),
)


def header(description: str, schema: dict | None = None) -> dict:
    return {"schema": schema or {"type": "string"}, "description": description}


RETRY_AFTER = header("Seconds to wait before trying again.", {"type": "integer", "minimum": 0})
LOCATION = header("The URL of the new intake.", {"type": "string", "format": "uri"})
ETAG = header('The saved revision as an entity tag (`"3"`), for the next `If-Match`.')
CONTENT_DISPOSITION = header("`attachment; filename=...` with the intake's reference.")
CONTENT_LANGUAGE = header(
    "The language of the questionnaire texts (`en` or `es`).",
    {"type": "string", "enum": ["en", "es"]},
)
# Response headers by (operation id, status): declared exactly where the views send them.
RESPONSE_HEADERS = {
    ("v1_intakes_create", "201"): {"Location": LOCATION},
    ("v1_intakes_summary_pdf_retrieve", "200"): {"Content-Disposition": CONTENT_DISPOSITION},
    ("v1_patient_intake_retrieve", "200"): {"Content-Language": CONTENT_LANGUAGE},
    ("v1_patient_responses_update", "200"): {"ETag": ETAG},
    ("v1_patient_responses_update", "412"): {"ETag": ETAG},
}


def error(description: str, *codes: str) -> OpenApiResponse:
    """An error response: `ErrorSerializer` with the `code`s it can carry, in the description."""
    listed = ", ".join(f"`{code}`" for code in codes)
    return OpenApiResponse(ErrorSerializer, description=f"{description} (code: {listed})")


UNAUTHORIZED = error(
    "Missing or wrong credentials",
    "not_authenticated",
    "authentication_failed",
)
PATIENT_UNAUTHORIZED = error(
    "Missing or unknown invitation token, or a missing or wrong date of birth",
    "not_authenticated",
    "authentication_failed",
    "birth_date_required",
    "birth_date_mismatch",
)
FORBIDDEN = error("The caller's role does not allow this", "permission_denied")
NOT_FOUND = error("No such intake or questionnaire", "not_found")
BAD_REQUEST = error("A query parameter the API cannot honour; `errors` names it", "invalid")
TOO_LARGE = error("The request body is too large", "too_large")
UNSUPPORTED = error("The body is not JSON", "unsupported_media_type")
TOO_MANY = error("Too many tries or calls: wait `Retry-After` seconds", "throttled")
GONE = error("The intake no longer takes answers or changes", "intake_closed")

ANSWER_VALUE = {
    "description": (
        "One answer: text (also dates and choices), a number, yes/no, a list of chosen "
        "options, a repeating group's entries, or (under `<item>.details`) the follow-up "
        "answers of each ticked option, keyed by the option's value."
    ),
    "oneOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"$ref": "#/components/schemas/AnswerEntry"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/AnswerEntry"}},
    ],
}
ANSWER_ENTRY = {
    "type": "object",
    "description": (
        "One entry of a repeating group, or one ticked option's follow-ups: its stable `_id` "
        "and its answers by item id."
    ),
    "properties": {"_id": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "array", "items": {"type": "string"}},
        ]
    },
}
ANSWERS = {
    "type": "object",
    "description": "Answers keyed by item id; see the questionnaire's definition.",
    "additionalProperties": {"$ref": "#/components/schemas/AnswerValue"},
}


def definition_components() -> dict[str, dict]:
    """Return the definition's JSON Schema as components, from the same pydantic models."""
    prefix = "#/components/schemas/"
    schema = Questionnaire.model_json_schema(by_alias=True, ref_template=prefix + "{model}")
    components = schema.pop("$defs", {})
    schema.pop("$schema", None)
    components[DEFINITION_NAME] = {**schema, "title": DEFINITION_NAME}  # generators name by title
    return json.loads(json.dumps(components))


def add_components(result, generator, request, public):
    """drf-spectacular postprocessing hook: answers, definitions and `servers`."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    clashes = set(schemas) & set(definition_components())
    if clashes:
        raise ValueError(f"Definition models clash with API components: {sorted(clashes)}")
    schemas.update(definition_components())
    schemas.update({"AnswerValue": ANSWER_VALUE, "AnswerEntry": ANSWER_ENTRY, "Answers": ANSWERS})
    result["servers"] = [{"url": settings.PUBLIC_BASE_URL.rstrip("/") or "/"}]
    for operation in _operations(result):
        operation["responses"]["503"] = {**OUTAGE}
        for status, response in operation.get("responses", {}).items():
            headers = {**RESPONSE_HEADERS.get((operation["operationId"], status), {})}
            if not response.get("description"):
                response["description"] = HTTPStatus(int(status)).phrase
            if status in ("429", "503"):
                headers["Retry-After"] = RETRY_AFTER
            if headers:
                response["headers"] = headers
    return result


# Any call while the database or Redis is briefly out (intake.outages).
OUTAGE = {
    "description": "Briefly unavailable: retry after `Retry-After` seconds "
    "(code: `service_unavailable`)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _operations(result) -> list[dict]:
    methods = ("get", "put", "post", "patch", "delete")
    return [op for item in result["paths"].values() for m, op in item.items() if m in methods]


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "intake.api.authentication.StaffTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A staff API token (`manage.py create_api_token`): `Authorization: Bearer "
                "<token>`. `Authorization: Token <token>` is accepted too."
            ),
        }


class PatientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "intake.api.authentication.PatientTokenAuthentication"
    name = ["invitationToken", "device"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Intake-Token",
                "description": "The token from the patient's invitation link (never in a URL).",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Intake-Device",
                "description": (
                    "A random key (32 to 100 characters of A-Z, a-z, 0-9, '-' and '_', "
                    f"pattern `{DEVICE_KEY_PATTERN}`) the app makes once and keeps. Answers are "
                    "shown back, changed and sent only with the key of the device that saved "
                    "them; required to save."
                ),
            },
        ]

    def get_security_requirement(self, auto_schema):
        # Both keys together: the token names the intake, the device key holds its answers.
        return {"invitationToken": [], "device": []}
