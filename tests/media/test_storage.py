"""Storing media: private 0600 files named by id, processed by the task, deleted with removal."""

from __future__ import annotations

import hashlib
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from intake.media import services
from intake.media.models import MediaFile
from intake.media.tasks import process_media
from intake.models import AuditEvent, ImmutableRecord, Intake

from . import samples
from .conftest import upload_of

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(intake, upload, item_id="twitch_video"):
    return services.upload_media(
        intake=intake, questionnaire_slug="twitch_history", item_id=item_id, uploaded=upload
    )


def _files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_uploaded_video_is_processed_in_process_and_stored_privately(open_intake, video_upload):
    media = _upload(open_intake, video_upload)
    media.refresh_from_db()  # the task ran on commit, in process (no REDIS_URL)

    assert media.status == MediaFile.Status.READY
    assert (media.kind, media.width, media.height) == ("video", 320, 240)
    assert media.duration_seconds == pytest.approx(1.0, abs=0.1)
    assert not media.upload  # the patient's original is gone once processed
    root = Path(settings.MEDIA_ROOT)
    stored = _files_under(root)
    assert sorted(path.name for path in stored) == ["poster.jpg", "video.mp4"]
    for path in stored:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "IMG_0001" not in str(path)
        assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert hashlib.sha256(media.file.read()).hexdigest() == media.file_sha256
    assert hashlib.sha256(media.poster.read()).hexdigest() == media.poster_sha256
    actions = list(
        AuditEvent.objects.filter(intake_id=open_intake.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["media_uploaded", "media_processed"]
    detail = AuditEvent.objects.filter(action="media_uploaded").get().detail
    assert "IMG_0001" not in str(detail)


def test_processing_twice_changes_nothing(open_intake, video_upload):
    media = _upload(open_intake, video_upload)
    media.refresh_from_db()
    before = (media.file.name, media.file_sha256)

    assert process_media.delay(str(media.pk)) is not None
    media.refresh_from_db()
    assert (media.file.name, media.file_sha256) == before
    assert len(_files_under(Path(settings.MEDIA_ROOT))) == 2


def test_text_renamed_mp4_ends_refused_with_the_reason_and_no_file_kept(open_intake):
    media = _upload(open_intake, upload_of(b"not a video at all\n" * 50, "clip.mp4", "video/mp4"))
    media.refresh_from_db()
    assert media.status == MediaFile.Status.REFUSED
    assert media.refusal_code == "not_media"
    assert _files_under(Path(settings.MEDIA_ROOT)) == []


def test_photo_sent_where_a_video_is_asked_is_refused_as_the_wrong_kind(open_intake, photo_upload):
    media = _upload(open_intake, photo_upload)
    media.refresh_from_db()
    assert (media.status, media.refusal_code) == ("refused", "wrong_kind")


def test_photo_item_takes_three_then_says_remove_one(open_intake):
    for _ in range(3):
        _upload(open_intake, upload_of(samples.jpeg_with_gps(64, 48), "a.jpg"), "twitch_photos")
    with pytest.raises(services.MediaRefused) as refused:
        _upload(open_intake, upload_of(samples.jpeg_with_gps(64, 48), "a.jpg"), "twitch_photos")
    assert refused.value.code == "too_many"
    assert "at most 3" in str(refused.value)


def test_upload_to_a_question_that_takes_no_file_is_refused(open_intake, photo_upload):
    with pytest.raises(services.MediaRefused) as refused:
        _upload(open_intake, photo_upload, "how_often")
    assert refused.value.code == "unknown_item"
    assert _files_under(Path(settings.MEDIA_ROOT)) == []


def test_removing_before_submitting_deletes_the_files_and_is_audited(open_intake, video_upload):
    media = _upload(open_intake, video_upload)
    services.remove_media(media=MediaFile.objects.get(pk=media.pk))
    assert not MediaFile.objects.exists()
    assert _files_under(Path(settings.MEDIA_ROOT)) == []
    assert AuditEvent.objects.filter(action="media_removed", intake_id=open_intake.pk).exists()


def test_purge_expired_removes_media_files_with_the_intake(open_intake, video_upload):
    _upload(open_intake, video_upload)
    assert _files_under(Path(settings.MEDIA_ROOT))
    Intake.objects.filter(pk=open_intake.pk).update(expires_at=timezone.now() - timedelta(days=40))
    call_command("purge_expired", days=30)
    assert not MediaFile.objects.exists()
    assert _files_under(Path(settings.MEDIA_ROOT)) == []


def test_processed_media_of_a_submitted_intake_cannot_be_changed(open_intake, video_upload):
    from intake import services as intake_services

    media = _upload(open_intake, video_upload)
    intake_services.submit_intake(intake=Intake.objects.get(pk=open_intake.pk))
    media.refresh_from_db()
    media.file_sha256 = "0" * 64
    with pytest.raises(ImmutableRecord):
        media.save()
    with pytest.raises(services.MediaRefused):
        services.remove_media(media=media)


def test_verify_integrity_finds_a_changed_stored_video(open_intake, video_upload):
    from django.core.management.base import CommandError

    media = _upload(open_intake, video_upload)
    media.refresh_from_db()
    call_command("verify_integrity")  # matches as stored
    with open(media.file.path, "r+b") as stored:
        stored.seek(100)
        stored.write(b"tampered")
    with pytest.raises(CommandError) as failed:
        call_command("verify_integrity")
    assert "1 mismatch(es)" in str(failed.value)
    assert "1 photo(s) and video(s)" in str(failed.value)
