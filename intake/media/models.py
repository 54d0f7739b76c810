"""The stored record of one photo or video a patient sent: where it is, what became of it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from ..models import ImmutableRecord, Intake


class MediaFile(models.Model):
    """A patient's photo or video for one media item; the files live in private storage.

    The patient's own file name is never stored: the stored names are made of ids. Once the
    intake is submitted and the file processed, the row no longer changes (`save`).
    """

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        VIDEO = "video", "Video"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        REFUSED = "refused", "Could not be used"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="media")
    questionnaire_slug = models.SlugField(max_length=63)
    item_id = models.CharField(max_length=64)
    # What the item asked for, copied so the worker needs no definition.
    accept = models.CharField(max_length=10, default="either")
    max_seconds = models.PositiveSmallIntegerField(default=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    refusal_code = models.CharField(max_length=40, blank=True)
    upload = models.FileField(upload_to="media/", blank=True, editable=False)
    upload_size = models.PositiveBigIntegerField(default=0)
    upload_sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="media/", blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    poster = models.FileField(upload_to="media/", blank=True, editable=False)
    poster_size = models.PositiveBigIntegerField(default=0)
    poster_sha256 = models.CharField(max_length=64, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["intake", "created_at"]
        indexes = [
            models.Index(fields=["intake", "questionnaire_slug", "item_id"], name="media_item"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["uploaded", "processing", "ready", "refused"]),
                name="media_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'File'} {self.pk} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and self.is_frozen_in_database():
            raise ImmutableRecord("A processed file of a submitted intake cannot be changed.")
        super().save(*args, **kwargs)

    def is_frozen_in_database(self) -> bool:
        return MediaFile.objects.filter(
            pk=self.pk,
            intake__status=Intake.Status.SUBMITTED,
            status__in=[self.Status.READY, self.Status.REFUSED],
        ).exists()

    @property
    def is_settled(self) -> bool:
        """Return whether processing has finished, one way or the other."""
        return self.status in (self.Status.READY, self.Status.REFUSED)

    @property
    def stored_files(self) -> list:
        """Return the non-empty file fields: the upload, the clean file, the poster."""
        return [one for one in (self.upload, self.file, self.poster) if one]

    def folder(self) -> str:
        return f"media/{self.intake_id}/{self.pk}"


# Sent, and not yet processed one way or the other.
PENDING = (MediaFile.Status.UPLOADED, MediaFile.Status.PROCESSING)


def media_pending(intake_id) -> bool:
    """Return whether any file of the intake is still waiting for or in processing."""
    return MediaFile.objects.filter(intake_id=intake_id, status__in=PENDING).exists()
