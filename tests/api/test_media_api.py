"""Media through the API: the patient sends with token and device key; clinicians list, fetch."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.media.models import MediaFile
from intake.models import AuditEvent

from ..media import samples
from .conftest import invitation_client, token_client

pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD = "/api/v1/patient/media/twitch_history/twitch_video/"


def _video():
    return SimpleUploadedFile("IMG_9.MOV", samples.video_bytes(seconds=0.5), "video/quicktime")


def test_patient_sends_a_video_and_a_clinician_lists_and_downloads_it(invitation, clinician):
    sent = invitation_client(invitation.token).post(UPLOAD, {"file": _video()}, format="multipart")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["state"] == "ready" and body["kind"] == "video"
    assert body["item"] == "twitch_video" and len(body["sha256"]) == 64

    clinic = token_client(clinician)
    listed = clinic.get(f"/api/v1/intakes/{invitation.intake.pk}/media/").json()
    assert [one["id"] for one in listed] == [body["id"]]
    url = f"/api/v1/intakes/{invitation.intake.pk}/media/{body['id']}/file"
    part = clinic.get(url, HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == MediaFile.objects.get().file.open("rb").read(10)
    assert AuditEvent.objects.filter(action="media_downloaded", actor=clinician).count() == 1


def test_upload_without_the_device_key_is_refused(invitation):
    client = invitation_client(invitation.token, device=None)
    response = client.post(UPLOAD, {"file": _video()}, format="multipart")
    assert response.status_code == 400
    assert "X-Intake-Device" in response.json()["errors"]
    assert not MediaFile.objects.exists()


def test_upload_to_a_question_that_takes_no_file_is_404(invitation):
    client = invitation_client(invitation.token)
    response = client.post(
        "/api/v1/patient/media/twitch_history/how_often/", {"file": _video()}, format="multipart"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_refused_file_reads_back_as_could_not_be_used(invitation):
    client = invitation_client(invitation.token)
    fake = SimpleUploadedFile("x.mp4", b"#EXTM3U\nhttp://127.0.0.1:9/a.ts\n", "video/mp4")
    body = client.post(UPLOAD, {"file": fake}, format="multipart").json()
    again = client.get(f"/api/v1/patient/media/{body['id']}/").json()
    assert again["state"] == "refused" and again["refusal_code"] == "not_media"
    assert "not a photo or video" in again["refusal_message"]


def test_patient_removes_a_file_before_submitting(invitation):
    client = invitation_client(invitation.token)
    body = client.post(UPLOAD, {"file": _video()}, format="multipart").json()
    assert client.delete(f"/api/v1/patient/media/{body['id']}/").status_code == 204
    assert not MediaFile.objects.exists()


def test_front_desk_gets_403_for_the_list_and_the_file(invitation, front_desk):
    client = invitation_client(invitation.token)
    body = client.post(UPLOAD, {"file": _video()}, format="multipart").json()
    desk = token_client(front_desk)
    assert desk.get(f"/api/v1/intakes/{invitation.intake.pk}/media/").status_code == 403
    url = f"/api/v1/intakes/{invitation.intake.pk}/media/{body['id']}/file"
    assert desk.get(url).status_code == 403


def test_refusals_come_back_in_the_patients_language(invitation):
    client = invitation_client(invitation.token, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    fake = SimpleUploadedFile("x.mp4", b"hello\n" * 100, "video/mp4")
    body = client.post(UPLOAD, {"file": fake}, format="multipart").json()
    again = client.get(f"/api/v1/patient/media/{body['id']}/")
    assert again["Content-Language"] == "es"
    assert again.json()["refusal_message"] == (
        "Este archivo no es una foto ni un video que podamos usar. Por favor, envíe una foto "
        "(JPEG, PNG o HEIC) o un video (MP4, MOV, WebM o 3GP)."
    )
    wrong = client.post(
        "/api/v1/patient/media/twitch_history/how_often/", {"file": _video()}, format="multipart"
    )
    assert wrong.status_code == 404
    assert wrong.json() == {
        "code": "not_found",
        "detail": "Esta pregunta no acepta fotos ni videos.",
    }
    english = invitation_client(invitation.token).get(f"/api/v1/patient/media/{body['id']}/")
    assert english.json()["refusal_message"].startswith("This file is not a photo or video")
