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
    assert "at most 3 file(s)" in page.content.decode()
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
