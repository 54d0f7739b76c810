"""The clinician's view of a patient's photos and videos: play (with ranges), download, poster.

Only staff who may read answers get here (READ_ANSWERS); front desk never sees media. Every
play (a request from the first byte) and every download is an audit event.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import audit
from ..media.models import MediaFile
from ..media.ranges import ranged_response, starts_a_play
from .access import READ_ANSWERS, staff_page

CONTENT_TYPES = {"video": "video/mp4", "photo": "image/jpeg"}
EXTENSIONS = {"video": "mp4", "photo": "jpg"}


def ready_media(intake) -> list[MediaFile]:
    """Return the intake's processed photos and videos, in the order they were sent."""
    return list(
        MediaFile.objects.filter(intake=intake, status=MediaFile.Status.READY).order_by(
            "created_at"
        )
    )


def file_name(media: MediaFile) -> str:
    """Return the name a download gets: made of ids, never the patient's own file name."""
    extension = EXTENSIONS[media.kind]
    return f"intake-{str(media.intake_id)[:8]}-{media.kind}-{str(media.pk)[:8]}.{extension}"


def _ready(intake_id, media_id) -> MediaFile:
    media = get_object_or_404(MediaFile, pk=media_id, intake_id=intake_id)
    if media.status != MediaFile.Status.READY or not media.file:
        raise Http404
    return media


@require_safe
@staff_page(READ_ANSWERS)
def play(request, intake_id, media_id):
    """Serve the clean file inline, with ranges, so the portal's player can seek."""
    media = _ready(intake_id, media_id)
    if starts_a_play(request):
        audit.record_staff(
            request, audit.Action.MEDIA_PLAYED, intake=media.intake_id, media=str(media.pk)
        )
    return ranged_response(
        request,
        media.file,
        content_type=CONTENT_TYPES[media.kind],
        filename=file_name(media),
        inline=True,
    )


@require_safe
@staff_page(READ_ANSWERS)
def download(request, intake_id, media_id):
    media = _ready(intake_id, media_id)
    audit.record_staff(
        request, audit.Action.MEDIA_DOWNLOADED, intake=media.intake_id, media=str(media.pk)
    )
    return ranged_response(
        request,
        media.file,
        content_type=CONTENT_TYPES[media.kind],
        filename=file_name(media),
        inline=False,
    )


@require_safe
@staff_page(READ_ANSWERS)
def poster(request, intake_id, media_id):
    media = _ready(intake_id, media_id)
    return ranged_response(
        request, media.poster, content_type="image/jpeg", filename="poster.jpg", inline=True
    )
