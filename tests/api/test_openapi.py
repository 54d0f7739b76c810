"""The published OpenAPI description: what generators need to make a typed, working client."""

from __future__ import annotations

import re

import pytest
from django.test import Client

CLINIC = "/api/v1/intakes/"
METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_staff_and_patient_credentials_are_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["staffToken"] == {**schemes["staffToken"], "type": "http", "scheme": "bearer"}
    assert schemes["invitationToken"]["name"] == "X-Intake-Token"
    assert schemes["device"]["name"] == "X-Intake-Device"
    assert {schemes[name]["in"] for name in ("invitationToken", "device")} == {"header"}
    for path, _, operation in operations(schema):
        names = {name for requirement in operation["security"] for name in requirement}
        patient = path.startswith("/api/v1/patient/")
        assert names == ({"invitationToken", "device"} if patient else {"staffToken", "cookieAuth"})


def test_headers_are_patterned_strings_that_every_generator_keeps(schema):
    for _, _, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "header":
                assert parameter["schema"]["type"] == "string"
                assert "format" not in parameter["schema"], parameter
                assert parameter["schema"]["pattern"], parameter
    assert schema["servers"] == [{"url": "http://127.0.0.1:8000"}]


def test_no_answers_or_definition_is_an_untyped_dictionary(schema):
    typed = 0
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if field in ("answers", "definition"):
                assert _ref(spec), (name, field, spec)
                typed += 1
    assert typed >= 8
    answer = schema["components"]["schemas"]["AnswerValue"]
    assert len(answer["oneOf"]) == 6
    details = {
        "type": "object",
        "additionalProperties": {"$ref": "#/components/schemas/AnswerEntry"},
    }
    assert details in answer["oneOf"]  # a choice's follow-ups, keyed by the ticked option
    definition = schema["components"]["schemas"]["QuestionnaireDefinition"]
    assert {"id", "title", "sections"} <= set(definition["properties"])


def test_status_fields_share_one_enum(schema):
    statuses = []
    for name, component in schema["components"]["schemas"].items():
        if "status" in component.get("properties", {}):
            statuses.append(name)
            status = component["properties"]["status"]
            assert _ref(status) == "#/components/schemas/IntakeStatus", name
    assert len(statuses) >= 4
    assert schema["components"]["schemas"]["IntakeStatus"]["enum"] == [
        "invited",
        "in_progress",
        "submitted",
        "expired",
        "cancelled",
    ]


def test_every_response_is_described_and_every_operation_id_is_an_identifier(schema):
    for path, method, operation in operations(schema):
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", operation["operationId"])
        for status, response in operation["responses"].items():
            assert response.get("description"), (path, method, status)


def test_statuses_are_declared_exactly_where_they_can_occur(schema):
    for path, method, operation in operations(schema):
        statuses = set(operation["responses"])
        assert ("429" in statuses) == path.startswith("/api/v1/patient/"), (path, method)
        assert ("413" in statuses) == ("requestBody" in operation), (path, method)
        if "429" in statuses:
            assert "Retry-After" in operation["responses"]["429"]["headers"]
        assert "Retry-After" in operation["responses"]["503"]["headers"]  # any call, in an outage
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert "code" in _schema_of(schema, response)["properties"], (path, status)


def test_http_headers_clients_read_are_declared(schema):
    paths = schema["paths"]
    created = paths[CLINIC]["post"]
    assert "Location" in created["responses"]["201"]["headers"]
    assert "Idempotency-Key" in {p["name"] for p in created["parameters"]}
    save = paths["/api/v1/patient/responses/{slug}/"]["put"]
    assert "ETag" in save["responses"]["200"]["headers"]
    assert "If-Match" in {p["name"] for p in save["parameters"]}
    assert "412" in save["responses"]
    pdf = paths["/api/v1/intakes/{intake_id}/summary.pdf"]["get"]["responses"]["200"]
    assert "Content-Disposition" in pdf["headers"]
    assert pdf["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}


def test_query_limits_are_declared(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"][CLINIC]["get"]["parameters"]}
    assert parameters["page_size"]["minimum"] == 1
    assert parameters["page_size"]["maximum"] == 100
    assert parameters["page"]["minimum"] == 1
    assert parameters["status"]["enum"] == [
        "invited",
        "in_progress",
        "submitted",
        "expired",
        "cancelled",
    ]


def _schema_of(schema: dict, response: dict) -> dict:
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _ref(spec: dict) -> str | None:
    """The component a property refers to, directly or as drf-spectacular's one-item allOf."""
    if "$ref" in spec:
        return spec["$ref"]
    if len(spec.get("allOf", [])) == 1:
        return spec["allOf"][0].get("$ref")
    return None
