"""Media fixtures: an open intake, and uploads made of real media."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from . import samples


@pytest.fixture
def open_intake(invitation):
    return invitation.intake


def upload_of(data: bytes, name: str = "IMG_0001.MOV", content_type: str = "video/quicktime"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def video_upload():
    return upload_of(samples.video_bytes(seconds=1.0))


@pytest.fixture
def photo_upload():
    return upload_of(samples.jpeg_with_gps(), "IMG_0002.JPG", "image/jpeg")


@pytest.fixture
def other_invitation(questionnaires):
    from datetime import date

    from intake.services import create_invitation

    return create_invitation(patient_name="Kim Otherperson", date_of_birth=date(1990, 1, 2))


@pytest.fixture
def video(open_intake):
    """A one-second phone video sent to the twitching question, processed (tasks run eagerly)."""
    from intake.media import services
    from intake.media.models import MediaFile

    media = services.upload_media(
        intake=open_intake,
        questionnaire_slug="twitch_history",
        item_id="twitch_video",
        uploaded=upload_of(samples.video_bytes(seconds=1.0)),
    )
    media.refresh_from_db()
    assert media.status == MediaFile.Status.READY
    return media
