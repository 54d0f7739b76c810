"""What the summary PDF says about the patient's photos and videos: a poster, a length, a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .models import MediaFile


@dataclass(frozen=True)
class MediaEntry:
    kind: str  # "photo" or "video"; empty until processed (the content decides, not the name)
    status: str  # a MediaFile.Status: every file sent is listed, whatever became of it
    duration_seconds: float | None
    sent_at: datetime
    poster_url: str  # file:// of the stored poster (ready files); the PDF fetcher reads only those
    watch_at: str


def media_entries(intake) -> list[MediaEntry]:
    """Return every file the patient sent, oldest first, as the PDF lists them: processed ones
    with their poster, and those still being processed or that could not be used, said so."""
    watch_at = settings.PUBLIC_BASE_URL + reverse("clinic:summary", args=[intake.pk])
    return [
        MediaEntry(
            kind=media.kind,
            status=media.status,
            duration_seconds=media.duration_seconds,
            sent_at=media.created_at,
            poster_url=Path(media.poster.path).resolve().as_uri() if media.poster else "",
            watch_at=watch_at,
        )
        for media in MediaFile.objects.filter(intake=intake).order_by("created_at")
    ]


def is_stored_poster(path: Path) -> bool:
    """Return whether `path` (resolved) is a poster frame in private storage, and only that."""
    root = (Path(settings.MEDIA_ROOT) / "media").resolve()
    return path.is_relative_to(root) and path.name == "poster.jpg" and path.is_file()
