"""The media task: process one uploaded photo or video in the worker, idempotently."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.db import OperationalError, transaction
from django.utils import timezone

from .. import audit
from ..models import Intake
from .models import MediaFile, media_pending
from .processing import Processed, Refusal, process_file
from .services import delete_files

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    max_retries=5,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def process_media(self, media_id: str) -> str:
    """Process the upload of MediaFile `media_id`; a file already settled is left as it is.

    Run again after a lost worker, it starts over from the kept upload: nothing is lost.
    """
    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None or media.is_settled or not media.upload:
        return "nothing to do"
    MediaFile.objects.filter(pk=media.pk).update(status=MediaFile.Status.PROCESSING)
    with tempfile.TemporaryDirectory(prefix="intake-media-") as folder:
        work = Path(folder)
        source = work / "source"
        with media.upload.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy, 1024 * 1024)
        try:
            processed = process_file(
                source, work, accept=media.accept, max_seconds=media.max_seconds
            )
        except Refusal as refusal:
            return _refuse(media, refusal.code)
        except SoftTimeLimitExceeded:
            return _refuse(media, "too_slow")
        return _keep(media, processed)


def _refuse(media: MediaFile, code: str) -> str:
    logger.info("Media file %s refused: %s", media.pk, code)  # ids and codes only
    with transaction.atomic():
        updated = (
            MediaFile.objects.filter(pk=media.pk)
            .exclude(status__in=[MediaFile.Status.READY, MediaFile.Status.REFUSED])
            .update(
                status=MediaFile.Status.REFUSED,
                refusal_code=code,
                upload="",
                processed_at=timezone.now(),
            )
        )
        if updated:
            _record(media, outcome="refused", code=code)
            transaction.on_commit(lambda: _summary_when_settled(media.intake_id))
    if updated:
        transaction.on_commit(lambda: delete_files([media.upload.name]))
    return "refused"


def _summary_when_settled(intake_id) -> None:
    """Once a submitted intake's last file is settled, keep its PDF: the PDF is kept only then,
    so that it lists every file (see intake.summary.service)."""
    from ..summary.tasks import queue_summary_pdf

    submitted = Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED).exists()
    if submitted and not media_pending(intake_id):
        queue_summary_pdf(intake_id)


def _keep(media: MediaFile, processed: Processed) -> str:
    extension = "mp4" if processed.kind == "video" else "jpg"
    names = {}
    for field, path, name in (
        ("file", processed.output, f"{media.folder()}/{processed.kind}.{extension}"),
        ("poster", processed.poster, f"{media.folder()}/poster.jpg"),
    ):
        with path.open("rb") as source:
            stored = getattr(media, field)
            stored.save(name, File(source, name=name), save=False)
        names[field] = (stored.name, path.stat().st_size, _sha256(path))
    with transaction.atomic():
        updated = (
            MediaFile.objects.filter(pk=media.pk)
            .exclude(status__in=[MediaFile.Status.READY, MediaFile.Status.REFUSED])
            .update(
                status=MediaFile.Status.READY,
                kind=processed.kind,
                upload="",
                file=names["file"][0],
                file_size=names["file"][1],
                file_sha256=names["file"][2],
                poster=names["poster"][0],
                poster_size=names["poster"][1],
                poster_sha256=names["poster"][2],
                duration_seconds=processed.duration_seconds,
                width=processed.width,
                height=processed.height,
                processed_at=timezone.now(),
            )
        )
        if updated:
            _record(media, outcome="ready", kind=processed.kind)
            transaction.on_commit(lambda: _summary_when_settled(media.intake_id))
    if updated:
        upload = media.upload.name
        transaction.on_commit(lambda: delete_files([upload]))
    else:
        # Another run settled it first (a redelivered task): drop this run's copies.
        delete_files([names["file"][0], names["poster"][0]])
    return "ready" if updated else "already settled"


def _record(media: MediaFile, **detail) -> None:
    audit.record(
        audit.Action.MEDIA_PROCESSED,
        intake=media.intake_id,
        actor_label="worker",
        media=str(media.pk),
        **detail,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
