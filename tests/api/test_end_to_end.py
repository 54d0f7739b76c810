"""The same intake filled through the API and through the web pages stores the same answers."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake

from ..patient.conftest import open_link
from ..patient.test_review import fill_all  # noqa: F401
from ..pdf_text import assert_demo_summary

pytestmark = pytest.mark.django_db


def patient_api(token: str, born: str = "1966-02-27") -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_X_INTAKE_TOKEN=token,
        HTTP_X_INTAKE_BIRTH_DATE=born,
        HTTP_X_INTAKE_DEVICE="casey-phone-" + "k" * 30,
    )
    return client


def test_a_whole_intake_through_the_api_alone(clinician, questionnaires):
    staff = APIClient()
    staff.force_authenticate(clinician)
    created = staff.post(
        "/api/v1/intakes/",
        {
            "patient_name": "Casey Placeholder",
            "date_of_birth": "1966-02-27",
            "clinic_reference": "API-1",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    token = created.json()["link"].rstrip("/").rsplit("/", 1)[1]
    patient = patient_api(token)

    intake = patient.get("/api/v1/patient/intake/").json()
    assert [q["questionnaire"] for q in intake["questionnaires"]] == [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ]
    for questionnaire in intake["questionnaires"]:
        slug = questionnaire["questionnaire"]
        saved = patient.put(
            f"/api/v1/patient/responses/{slug}/",
            {"revision": questionnaire["revision"], "answers": DEMO_ANSWERS[slug]},
            format="json",
        )
        assert saved.status_code == 200, saved.json()
    first = patient.post("/api/v1/patient/submit/")
    again = patient.post("/api/v1/patient/submit/")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()

    detail = staff.get(f"/api/v1/intakes/{created.json()['id']}/").json()
    assert detail["status"] == "submitted"
    assert {r["questionnaire"]: r["answers"] for r in detail["responses"]} == DEMO_ANSWERS
    pdf = staff.get(f"/api/v1/intakes/{created.json()['id']}/summary.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])
    assert_demo_summary(body, patient="Casey Placeholder", reference="API-1")


def test_api_and_web_pages_store_identical_answers(client, questionnaires):
    web = services.create_invitation(patient_name="Web Person", date_of_birth=date(1966, 2, 27))
    api = services.create_invitation(patient_name="Api Person", date_of_birth=date(1966, 2, 27))
    open_link(client, web, birth_date=("27", "2", "1966"))
    _fill_by_web_pages(client, web)
    patient = patient_api(api.token)
    for slug, answers in DEMO_ANSWERS.items():
        patient.put(
            f"/api/v1/patient/responses/{slug}/", {"revision": 0, "answers": answers}, format="json"
        )

    def stored(invitation):
        return {
            r.questionnaire_version.slug: r.answers
            for r in Intake.objects.get(pk=invitation.intake.pk).responses.all()
        }

    assert stored(web) == stored(api) == DEMO_ANSWERS


def _fill_by_web_pages(client, invitation):
    """Post every page of the web flow with the demo answers, as a browser would."""
    from django.conf import settings

    from intake.patient import flow
    from intake.patient.device import device_hash
    from intake.patient.forms import details_prefix, page_items, row_prefix

    device = client.cookies[settings.PATIENT_DEVICE_COOKIE_NAME].value
    steps = flow.steps_of(flow.responses_of(invitation.intake), device_hash(device))
    for step in steps:
        answers = DEMO_ANSWERS[step.response.questionnaire_version.slug]
        data = {"action": "next"}
        for item in page_items(step.section):
            _form_fields(item, answers, "", data, row_prefix)
            # Choices with details: each ticked option's follow-ups, under its own prefix.
            for option, entry in answers.get(item.id + ".details", {}).items():
                inner = details_prefix(item.id, option)
                data[inner + "_id"] = entry["_id"]
                for child in item.details:
                    _form_fields(child, entry, inner, data, row_prefix)
        response = step.response
        response.refresh_from_db()
        data["revision"] = response.revision
        result = client.post(f"/patient/step/{step.number}/", data)
        assert result.status_code == 302, (step.key, result.content.decode()[:3000])


def _form_fields(item, answers, prefix, data, row_prefix):
    value = answers.get(item.id)
    if value is None:
        return
    name = prefix + item.id
    if item.type == "group":
        for index, row in enumerate(value):
            inner = row_prefix(item.id, index)
            data[inner + "_id"] = row["_id"]
            for child in item.items:
                _form_fields(child, row, inner, data, row_prefix)
        return
    if item.type == "month_year":
        year, _, month = value.partition("-")
        data[name + "-year"], data[name + "-month"] = year, month
    else:
        data[name] = value if isinstance(value, list) else str(value)
    if item.id + ".other" in answers:
        data[name + ".other"] = answers[item.id + ".other"]


def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/intakes/not-a-uuid/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
