"""The twitching page's video and photo questions, without JavaScript: send, see, remove."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from intake.media.models import MediaFile
from intake.models import Response

from ..media import samples
from .conftest import open_link

pytestmark = pytest.mark.django_db(transaction=True)


def _pattern_step(client) -> int:
    """Find the number of the twitching questionnaire's "How often and when" page."""
    for number in range(1, 40):
        page = client.get(f"/patient/step/{number}/")
        if page.status_code == 200 and "How often and when" in page.content.decode():
            return number
    raise AssertionError("no twitching pattern page")


def _revision(invitation) -> int:
    return Response.objects.get(
        intake=invitation.intake, questionnaire_version__slug="twitch_history"
    ).revision


def _send(client, invitation, number, **files):
    # "Back" saves the page without asking for required answers.
    data = {"revision": _revision(invitation), "action": "back", **files}
    return client.post(f"/patient/step/{number}/files/", data)


def test_page_offers_a_plain_file_input_with_camera_capture(patient):
    number = _pattern_step(patient)
    html = patient.get(f"/patient/step/{number}/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    video_input = re.search(r'<input type="file" id="f-twitch_video"[^>]*>', html, re.S).group(0)
    assert 'accept="video/*"' in video_input and 'capture="environment"' in video_input
    assert 'name="twitch_video"' in video_input and "multiple" in video_input
    assert "up to 60 seconds" in html


def test_video_sent_with_the_form_shows_its_thumbnail_then_can_be_removed(patient, invitation):
    number = _pattern_step(patient)
    video = SimpleUploadedFile("IMG_4411.MOV", samples.video_bytes(seconds=1.0), "video/quicktime")

    sent = _send(patient, invitation, number, twitch_video=video)
    assert sent.status_code == 302

    html = patient.get(f"/patient/step/{number}/").content.decode()
    media = MediaFile.objects.get()
    assert media.status == "ready"
    assert f"/patient/media/{media.pk}/poster.jpg" in html
    assert "Video, 1 s: received." in html
    assert "IMG_4411" not in html
    poster = patient.get(f"/patient/media/{media.pk}/poster.jpg")
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"
    assert "no-store" in poster["Cache-Control"]
    assert b"".join(poster.streaming_content)[:3] == b"\xff\xd8\xff"

    removed = patient.post(
        f"/patient/step/{number}/files/",
        {"revision": _revision(invitation), "action": f"media-remove:{media.pk}"},
    )
    assert removed.status_code == 302
    assert not MediaFile.objects.exists()
    assert (
        f"/patient/media/{media.pk}/"
        not in patient.get(f"/patient/step/{number}/").content.decode()
    )


def test_text_file_named_mp4_is_shown_as_could_not_be_used(patient, invitation):
    number = _pattern_step(patient)
    fake = SimpleUploadedFile("clip.mp4", b"hello\n" * 100, "video/mp4")
    assert _send(patient, invitation, number, twitch_video=fake).status_code == 302
    html = patient.get(f"/patient/step/{number}/").content.decode()
    assert "This file could not be used." in html
    assert "not a photo or video we can use" in html


def test_too_many_photos_gets_a_clear_error_and_keeps_the_page(patient, invitation):
    number = _pattern_step(patient)
    photos = [
        SimpleUploadedFile(f"p{index}.jpg", samples.jpeg_with_gps(64, 48), "image/jpeg")
        for index in range(4)
    ]
    page = _send(patient, invitation, number, twitch_photos=photos)
    assert page.status_code == 400
    assert "This question takes at most 3 files. Remove one to send another." in (
        page.content.decode()
    )
    assert MediaFile.objects.count() == 3


def test_script_upload_answers_json_and_another_patient_cannot_see_the_thumbnail(
    patient, invitation, other_invitation
):
    number = _pattern_step(patient)
    video = SimpleUploadedFile("v.mov", samples.video_bytes(seconds=0.5), "video/quicktime")
    sent = patient.post(f"/patient/step/{number}/media/twitch_video/", {"file": video})
    assert sent.status_code == 201
    body = sent.json()
    assert body["status"] == "ready" and body["poster_url"].endswith("/poster.jpg")
    assert patient.get(f"/patient/media/{body['id']}/").json()["status"] == "ready"

    stranger = Client()
    open_link(stranger, other_invitation, birth_date=("2", "1", "1990"))
    assert stranger.get(body["poster_url"]).status_code == 404
    assert stranger.get(f"/patient/media/{body['id']}/").status_code == 404


def test_large_upload_body_is_allowed_only_on_patient_media_paths(patient, settings):
    settings.MAX_REQUEST_BYTES = 1000
    number = _pattern_step(patient)
    video = SimpleUploadedFile("v.mov", samples.video_bytes(seconds=0.5), "video/quicktime")
    assert (
        patient.post(f"/patient/step/{number}/media/twitch_video/", {"file": video}).status_code
        == 201
    )
    big = SimpleUploadedFile("v.mov", b"x" * 5000, "video/quicktime")
    assert patient.post("/patient/verify/", {"file": big}).status_code == 413
    # The plain page takes large bodies only at its files/ address.
    big = SimpleUploadedFile("v.mov", b"x" * 5000, "video/quicktime")
    assert patient.post(f"/patient/step/{number}/", {"file": big}).status_code == 413


# Every English text of the question (templates/patient/items/media.html, the captions and
# refusals in intake/patient/media.py and intake/media/, the script's words in data-*).
MEDIA_QUESTION_ENGLISH = (
    "(optional)",
    "Your video",
    "Your photo",
    "(thumbnail)",
    "received.",
    "Photo",
    "could not be used",
    "Processing",
    "It will appear here",
    "Remove",
    "this video",
    "this photo",
    "this file",
    "Sending",
    'data-cancel="Cancel"',
    "Try again",
    "Forget this file",
    "upload was interrupted",
    "Upload cancelled",
    "could not be sent",
    'data-ok="OK"',
    "under 150 MB",
    "seconds long",
    "It is sent",
    "They are sent",
    "not a photo or video",
)


def _in_spanish(client) -> int:
    number = _pattern_step(client)
    client.get("/patient/language/es/")
    return number


def _assert_no_english(html: str) -> None:
    english = [text for text in MEDIA_QUESTION_ENGLISH if text in html]
    assert not english, english


def _sent(invitation, item_id: str, **fields) -> MediaFile:
    return MediaFile.objects.create(
        intake=invitation.intake, questionnaire_slug="twitch_history", item_id=item_id, **fields
    )


def test_the_media_questions_are_all_spanish_for_a_spanish_patient(patient, invitation):
    number = _in_spanish(patient)
    empty = patient.get(f"/patient/step/{number}/").content.decode()
    _assert_no_english(empty)
    assert "(opcional)" in empty
    assert "Hasta 2 videos, cada uno de hasta 60 segundos y de menos de 150 MB." in empty
    assert "Hasta 3 fotos, cada una de menos de 150 MB." in empty
    assert 'data-sending="Enviando {name}…"' in empty and 'data-ok="Aceptar"' in empty
    assert 'data-interrupted="El envío se interrumpió. Sus otras respuestas siguen aquí."' in empty

    _sent(invitation, "twitch_video", status="ready", kind="video", duration_seconds=12.4)
    _sent(invitation, "twitch_photos", status="ready", kind="photo")
    _sent(invitation, "twitch_photos", status="refused", refusal_code="not_media")
    _sent(invitation, "twitch_photos", status="processing")
    html = patient.get(f"/patient/step/{number}/").content.decode()
    _assert_no_english(html)
    for spanish in (
        'alt="Su video (miniatura)"',
        "Video de 12 s: recibido.",
        'alt="Su foto (miniatura)"',
        "Foto: recibida.",
        "No se pudo usar este archivo. Este archivo no es una foto ni un video que podamos usar.",
        "Procesando… Aparecerá aquí cuando esté listo.",
        "Quitar este video",
        "Quitar esta foto",
        "Quitar este archivo",
    ):
        assert spanish in html, spanish


def test_a_refused_upload_is_told_in_spanish_on_the_page_and_to_its_script(patient, invitation):
    number = _in_spanish(patient)
    fake = SimpleUploadedFile("clip.mp4", b"hello\n" * 100, "video/mp4")
    assert _send(patient, invitation, number, twitch_video=fake).status_code == 302
    html = patient.get(f"/patient/step/{number}/").content.decode()
    assert "No se pudo usar este archivo. Este archivo no es una foto ni un video" in html
    _assert_no_english(html)

    fake = SimpleUploadedFile("clip.mp4", b"hello\n" * 100, "video/mp4")
    sent = patient.post(f"/patient/step/{number}/media/twitch_video/", {"file": fake}).json()
    assert sent["caption"].startswith("No se pudo usar este archivo. Este archivo no es una foto")
    assert sent["remove_label"] == "Quitar este archivo"
    empty = SimpleUploadedFile("empty.mov", b"", "video/quicktime")
    refused = patient.post(f"/patient/step/{number}/media/twitch_video/", {"file": empty})
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "empty",
        "detail": "Este archivo está vacío. Por favor, elija otra vez la foto o el video.",
    }


def test_too_many_photos_are_refused_in_spanish(patient, invitation):
    number = _in_spanish(patient)
    photos = [
        SimpleUploadedFile(f"p{index}.jpg", samples.jpeg_with_gps(64, 48), "image/jpeg")
        for index in range(4)
    ]
    page = _send(patient, invitation, number, twitch_photos=photos)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Esta pregunta acepta como máximo 3 archivos. Quite uno para enviar otro." in html
    _assert_no_english(html)
