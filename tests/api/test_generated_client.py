"""A client generated from the live OpenAPI description by a tool nobody here wrote, used fully.

`openapi-python-client` (the dev extra) generates a Python package from `/api/schema/` with no
warning; the README's clinic and patient flows then run through its typed functions and models,
over httpx's WSGI transport (no server, no network).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from intake.demo import DEMO_ANSWERS
from intake.wsgi import application

pytest.importorskip("openapi_python_client")
pytestmark = pytest.mark.django_db

PACKAGE = "patient_intake_api_client"
BORN = "1966-02-27"
DEVICE = "casey-phone-" + "k" * 30


def served_over_tcp(environ, start_response):
    environ["REMOTE_ADDR"] = environ.get("REMOTE_ADDR") or "127.0.0.1"
    return application(environ, start_response)


@pytest.fixture
def wsgi_app():
    """The WSGI app, with Django's per-request connection closing off (see test_schema_fuzz)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield served_over_tcp
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """Generate the client from the live schema; fail on any warning; import it."""
    schema = Client().get("/api/schema/?format=json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_text(json.dumps(schema.json()))
    # No post hooks: formatting the generated code with ruff is not what is tested here.
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [generator, "generate", "--path", "schema.json", "--meta", "none"]
        + ["--config", "config.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]
    return lambda module: importlib.import_module(f"{PACKAGE}.{module}")


def test_the_readme_flows_run_through_a_generated_client(
    generated, wsgi_app, clinician, front_desk, questionnaires
):
    from knox.models import AuthToken

    client_module = generated("client")
    models = generated("models")
    api = "api.v1."
    transport = {"transport": httpx.WSGITransport(app=wsgi_app)}
    base = "http://testserver"

    def staff(user):
        _, token = AuthToken.objects.create(user=user)
        return client_module.AuthenticatedClient(base_url=base, token=token, httpx_args=transport)

    desk, doctor = staff(front_desk), staff(clinician)

    # Invite (with an Idempotency-Key), list, questionnaires.
    invite = models.InvitationInputRequest(
        patient_name="Casey Placeholder", date_of_birth=_date(BORN), clinic_reference="GEN-1"
    )
    created = generated(api + "v1_intakes_create").sync_detailed(
        client=desk, body=invite, idempotency_key="gen-1"
    )
    assert created.status_code == 201
    invitation = created.parsed
    assert isinstance(invitation, models.CreatedInvitation)
    assert invitation.status == models.IntakeStatus.INVITED
    assert created.headers["Location"].endswith(f"/api/v1/intakes/{invitation.id}/")
    retried = generated(api + "v1_intakes_create").sync_detailed(
        client=desk, body=invite, idempotency_key="gen-1"
    )
    assert isinstance(retried.parsed, models.AlreadyCreated)
    assert retried.parsed.intake_id == invitation.id

    page = generated(api + "v1_intakes_list").sync(client=desk, status=_list_status(models))
    assert isinstance(page, models.IntakePage)
    assert [row.clinic_reference for row in page.results] == ["GEN-1"]
    listed = generated(api + "v1_questionnaires_list").sync(client=desk)
    slugs = [questionnaire.slug for questionnaire in listed]
    assert "twitch_history" in slugs
    detail = generated(api + "v1_questionnaires_retrieve").sync("twitch_history", client=desk)
    assert isinstance(detail.definition, models.QuestionnaireDefinition)
    assert detail.definition.id == "twitch_history"

    # Re-issue gives a new link; the patient uses it.
    reissued = generated(api + "v1_intakes_reissue_create").sync(invitation.id, client=desk)
    token = reissued.link.rstrip("/").rsplit("/", 1)[1]
    patient = client_module.AuthenticatedClient(
        base_url=base,
        token=token,
        prefix="",
        auth_header_name="X-Intake-Token",
        headers={"X-Intake-Device": DEVICE},
        httpx_args=transport,
    )
    intake = generated(api + "v1_patient_intake_retrieve").sync(
        client=patient, x_intake_birth_date=BORN
    )
    assert isinstance(intake, models.PatientIntake)
    assert intake.status == models.IntakeStatus.INVITED
    assert [q.questionnaire for q in intake.questionnaires] == slugs
    assert isinstance(intake.questionnaires[0].definition, models.QuestionnaireDefinition)

    # Save every questionnaire; a stale revision is a 409 parsed as the conflict model.
    save = generated(api + "v1_patient_responses_update")
    for slug in slugs:
        body = models.SaveAnswersInputRequest(
            answers=models.Answers.from_dict(DEMO_ANSWERS[slug]), revision=0
        )
        saved = save.sync_detailed(slug, client=patient, body=body, x_intake_birth_date=BORN)
        assert saved.status_code == 200, saved.content
        assert isinstance(saved.parsed, models.SavedAnswers)
        assert saved.headers["ETag"] == '"1"'
    stale = models.SaveAnswersInputRequest(
        answers=models.Answers.from_dict({"bother": 2}), revision=0
    )
    conflict = save.sync_detailed(
        "twitch_history", client=patient, body=stale, x_intake_birth_date=BORN
    )
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, models.Conflict)
    assert conflict.parsed.code == models.ConflictCodeEnum.REVISION_CONFLICT
    assert conflict.parsed.revision == 1

    submitted = generated(api + "v1_patient_submit_create").sync(
        client=patient, x_intake_birth_date=BORN
    )
    assert isinstance(submitted, models.Submitted)
    assert submitted.status == models.IntakeStatus.SUBMITTED
    closed = generated(api + "v1_patient_intake_retrieve").sync_detailed(
        client=patient, x_intake_birth_date=BORN
    )
    assert closed.status_code == 410
    assert isinstance(closed.parsed, models.Error)
    assert closed.parsed.code == "intake_closed"

    # The clinician reads the answers and the PDF; a later intake is cancelled.
    read = generated(api + "v1_intakes_retrieve").sync(invitation.id, client=doctor)
    assert isinstance(read, models.IntakeDetail)
    assert read.status == models.IntakeStatus.SUBMITTED
    answers = {r.questionnaire: r.answers.to_dict() for r in read.responses}
    assert answers["twitch_history"]["bother"] == DEMO_ANSWERS["twitch_history"]["bother"]
    pdf = generated(api + "v1_intakes_summary_pdf_retrieve").sync_detailed(
        invitation.id, client=doctor
    )
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf.parsed.payload.read() == pdf.content
    assert "attachment" in pdf.headers["Content-Disposition"]

    second = generated(api + "v1_intakes_create").sync(
        client=desk, body=models.InvitationInputRequest(patient_name="Robin Testperson")
    )
    cancelled = generated(api + "v1_intakes_cancel_create").sync(second.id, client=desk)
    assert cancelled.status == models.IntakeStatus.CANCELLED


def _date(value: str):
    from datetime import date

    return date.fromisoformat(value)


def _list_status(models):
    """The list's `status` filter: the generated enum for the query parameter."""
    return models.V1IntakesListStatus.INVITED
