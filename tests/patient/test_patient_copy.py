"""The patient's copy: after sending, the device that sent can download exactly what it sent."""

import io

import pdfplumber
import pytest
from django.conf import settings

from intake import ratelimit, services
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, Intake
from intake.patient.device import device_hash
from intake.ratelimit import PATIENT_COPIES

from .conftest import open_link

pytestmark = pytest.mark.django_db


def fill_all_from(client, invitation):
    """Save the demo answers as the device of this client."""
    device = device_hash(client.cookies[settings.PATIENT_DEVICE_COOKIE_NAME].value)
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response,
            answers=DEMO_ANSWERS[response.questionnaire_version.slug],
            revision=response.revision,
            device=device,
        )


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join(page.extract_text().split()) for page in document.pages)


def test_after_sending_the_patient_downloads_their_answers_without_the_clinics_aids(
    patient, invitation
):
    fill_all_from(patient, invitation)
    assert patient.post("/patient/submit/")["Location"] == "/patient/done/"
    assert 'href="/patient/copy.pdf"' in patient.get("/patient/done/").content.decode()
    response = patient.get("/patient/copy.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = Intake.objects.get(pk=invitation.intake.pk).submitted_at.date()
    assert response["Content-Disposition"] == f'attachment; filename="my-answers-{day}.pdf"'
    text = pdf_text(response.content)
    assert text.startswith("Robin Testperson · born 30 Jun 1975 Page 1 of")
    assert "Your answers" in text
    for answer in ("Gabapentin", "Microdiscectomy", "Penicillin", "Back of the left knee"):
        assert answer in text
    for clinic_only in ("At a glance", "Key items", "Patient intake summary", "Re-issued"):
        assert clinic_only not in text
    events = AuditEvent.objects.filter(action="patient_copy_downloaded")
    assert events.count() == 1
    assert events.get().actor_label == "patient"


def test_another_device_with_the_same_session_link_gets_no_copy(client, invitation):
    other = client.__class__()
    open_link(other, invitation)
    open_link(client, invitation)
    fill_all_from(client, invitation)
    assert client.post("/patient/submit/")["Location"] == "/patient/done/"
    assert "copy.pdf" not in other.get("/patient/done/").content.decode()
    refused = other.get("/patient/copy.pdf")
    assert refused.status_code == 403
    assert b"Gabapentin" not in refused.content
    assert not AuditEvent.objects.filter(action="patient_copy_downloaded").exists()


def test_before_sending_there_is_no_copy(patient, invitation):
    fill_all_from(patient, invitation)
    assert patient.get("/patient/copy.pdf")["Location"] == "/patient/"


def test_a_copy_is_rendered_at_most_ten_times_an_hour_and_the_session_stays_open(
    patient, invitation
):
    fill_all_from(patient, invitation)
    patient.post("/patient/submit/")
    for _ in range(PATIENT_COPIES):
        ratelimit.count_attempt(f"patient-copy:{invitation.intake.pk}", window=3600)
    assert patient.get("/patient/copy.pdf").status_code == 429
    assert not AuditEvent.objects.filter(action="patient_copy_downloaded").exists()
    assert 'href="/patient/copy.pdf"' in patient.get("/patient/done/").content.decode()
