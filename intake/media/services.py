"""Receiving, removing and discarding patients' photos and videos: one transaction each."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterable

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext, ngettext

from .. import audit
from ..models import Intake
from .models import MediaFile
from .processing import MAX_UPLOAD_BYTES, refusal_message

logger = logging.getLogger(__name__)


class MediaRefused(Exception):
    """An upload the service will not take; `code` is stable, the message is for the patient.

    The message is in the active language: the patient's, on their pages and in their API.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def media_item(intake: Intake, questionnaire_slug: str, item_id: str):
    """Return the media item `item_id` of the intake's questionnaire, or None."""
    response = (
        intake.responses.select_related("questionnaire_version")
        .filter(questionnaire_version__slug=questionnaire_slug)
        .first()
    )
    if response is None:
        return None
    item = response.questionnaire_version.questionnaire.item_index().get(item_id)
    return item if getattr(item, "type", "") == "media" else None


def sha256_of(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def upload_media(
    *,
    intake: Intake,
    questionnaire_slug: str,
    item_id: str,
    uploaded: File,
    ip_address: str | None = None,
) -> MediaFile:
    """Keep the patient's file privately and queue its processing; refuse what cannot be taken.

    The file's name and declared type are ignored: the worker decides by content.
    """
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if not locked.accepts_answers:
        raise MediaRefused("closed", gettext("This intake no longer takes answers."))
    item = media_item(locked, questionnaire_slug, item_id)
    if item is None:
        raise MediaRefused("unknown_item", gettext("This question does not take a photo or video."))
    if uploaded.size is None or uploaded.size > MAX_UPLOAD_BYTES:
        raise MediaRefused("too_large", refusal_message("too_large"))
    if uploaded.size == 0:
        raise MediaRefused(
            "empty", gettext("This file is empty. Please choose the photo or video again.")
        )
    kept = MediaFile.objects.filter(
        intake=locked, questionnaire_slug=questionnaire_slug, item_id=item_id
    ).exclude(status=MediaFile.Status.REFUSED)
    if kept.count() >= item.max_count:
        message = ngettext(
            "This question takes at most %(count)s file. Remove it to send another.",
            "This question takes at most %(count)s files. Remove one to send another.",
            item.max_count,
        )
        raise MediaRefused("too_many", message % {"count": item.max_count})
    media = MediaFile(
        intake=locked,
        questionnaire_slug=questionnaire_slug,
        item_id=item_id,
        accept=item.accept,
        max_seconds=item.max_seconds,
        upload_size=uploaded.size,
    )
    media.upload.save(f"{media.folder()}/upload", _Renamed(uploaded), save=False)
    try:
        media.upload_sha256 = sha256_of(media.upload)
        with transaction.atomic():
            media.save()
            audit.record(
                audit.Action.MEDIA_UPLOADED,
                intake=locked,
                actor_label="patient",
                ip_address=ip_address,
                media=str(media.pk),
                item=item_id,
                bytes=uploaded.size,
            )
    except BaseException:
        delete_files([media.upload.name])  # no row will point at it
        raise
    transaction.on_commit(lambda: _enqueue(media.pk))
    return media


def _enqueue(media_id) -> None:
    from .tasks import process_media

    process_media.delay(str(media_id))


class _Renamed(File):
    """The upload under a name made of ids: the patient's file name goes no further."""

    def __init__(self, uploaded: File):
        super().__init__(uploaded, name="upload")


@transaction.atomic
def remove_media(*, media: MediaFile, actor_label: str = "patient", ip_address=None) -> None:
    """Remove a photo or video the patient sent, before they submit; its files go too."""
    locked = Intake.objects.select_for_update().get(pk=media.intake_id)
    if not locked.accepts_answers:
        raise MediaRefused("closed", gettext("This intake no longer takes answers."))
    names = [one.name for one in media.stored_files]
    MediaFile.objects.filter(pk=media.pk).delete()
    audit.record(
        audit.Action.MEDIA_REMOVED,
        intake=locked,
        actor_label=actor_label,
        ip_address=ip_address,
        media=str(media.pk),
        item=media.item_id,
    )
    transaction.on_commit(lambda: delete_files(names))


def delete_files(names: Iterable[str]) -> None:
    """Delete stored files by name; a file already gone is fine."""
    for name in names:
        if not name:
            continue
        with contextlib.suppress(FileNotFoundError):
            default_storage.delete(name)


def files_of_intakes(intake_ids: Iterable) -> list[str]:
    """Return every stored file name of the media of these intakes (for their removal)."""
    names = []
    for upload, file, poster in MediaFile.objects.filter(
        intake_id__in=list(intake_ids)
    ).values_list("upload", "file", "poster"):
        names += [name for name in (upload, file, poster) if name]
    return names
