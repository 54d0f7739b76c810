"""The stored records: questionnaire versions, intakes, their responses and the audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .questionnaires.loader import questionnaire_from_json
from .questionnaires.schema import Questionnaire
from .questionnaires.translations import localize


class ImmutableRecord(Exception):
    """An attempt to change or delete a record that must stay as it was written."""


_parsed_definitions: dict[str, Questionnaire] = {}


class QuestionnaireVersion(models.Model):
    """One version of one questionnaire, exactly as loaded; never changed once stored."""

    slug = models.SlugField(max_length=63)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField()
    source_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="unique_questionnaire_version"
            ),
            models.UniqueConstraint(
                fields=["slug", "content_hash"], name="unique_questionnaire_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecord("A stored questionnaire version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("A stored questionnaire version cannot be deleted.")

    @property
    def questionnaire(self) -> Questionnaire:
        """Return the definition as objects, parsed once per process for each content hash."""
        parsed = _parsed_definitions.get(self.content_hash)
        if parsed is None:
            parsed = _parsed_definitions[self.content_hash] = questionnaire_from_json(
                self.definition
            )
        return parsed

    def questionnaire_in(self, language: str) -> Questionnaire:
        """Return the definition as a patient reading `language` sees it (or English)."""
        key = f"{self.content_hash}:{language}"
        parsed = _parsed_definitions.get(key)
        if parsed is None:
            parsed = _parsed_definitions[key] = localize(self.questionnaire, language)
        return parsed


class Intake(models.Model):
    """One invitation for one patient, and the questionnaires it asks them to answer."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        CANCELLED = "cancelled", "Cancelled"

    EXPIRED = "expired"  # not stored: an invited or in-progress intake past its expiry

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    clinic_reference = models.CharField(max_length=64, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The page the patient reached ("slug:section"), so the link resumes there on any device.
    resume_at = models.CharField(max_length=200, blank=True, editable=False)
    # The language the patient read the questionnaires in ("en" or "es"): the clinician's
    # summary says so, and marks the patient's own words as written in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    summary_pdf = models.FileField(upload_to="summaries/", blank=True, editable=False)
    summary_pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_answers", "Can read patients' answers, summaries and PDFs"),
            ("manage_invitations", "Can create, cancel and re-issue invitations"),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="intake_newest"),
            models.Index(fields=["status", "-created_at"], name="intake_status_newest"),
            # Name and reference search use trigram and expression indexes on PostgreSQL
            # (migration 0004); they match the SQL Django writes for icontains and iexact.
        ]

    def __str__(self) -> str:
        reference = f" ({self.clinic_reference})" if self.clinic_reference else ""
        return f"{self.patient_name}{reference}"

    @property
    def is_expired(self) -> bool:
        return self.is_open_status and self.expires_at <= timezone.now()

    @property
    def is_open_status(self) -> bool:
        return self.status in (self.Status.INVITED, self.Status.IN_PROGRESS)

    @property
    def accepts_answers(self) -> bool:
        """Return whether the patient may still answer: open and not expired."""
        return self.is_open_status and not self.is_expired

    @property
    def effective_status(self) -> str:
        """Return the status a person would name, counting expiry: 'expired' or the stored one."""
        return self.EXPIRED if self.is_expired else self.status

    @property
    def effective_status_label(self) -> str:
        return "Expired" if self.is_expired else self.get_status_display()


class Response(models.Model):
    """A patient's answers to one questionnaire version of one intake."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="responses")
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    position = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers_sha256 = models.CharField(max_length=64, blank=True)
    # SHA-256 of the device key of the browser or app that holds these answers: only it is
    # shown them again (SECURITY.md, "Answers stay on the device that gave them"). Empty while
    # no patient device has saved any.
    holder_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["intake", "position"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "position"], name="unique_response_position"),
            models.UniqueConstraint(
                fields=["intake", "questionnaire_version"], name="unique_response_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intake} · {self.questionnaire_version.slug}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and self.is_frozen_in_database():
            raise ImmutableRecord("Submitted answers cannot be changed.")
        super().save(*args, **kwargs)

    def is_frozen_in_database(self) -> bool:
        return Response.objects.filter(pk=self.pk, submitted_at__isnull=False).exists()

    def is_sealed_for(self, device_hash: str) -> bool:
        """Return whether another device holds these answers, so this one may not see them."""
        return bool(self.holder_hash) and self.holder_hash != device_hash


class EarlierAnswers(models.Model):
    """Answers a patient replaced by answering a questionnaire again from another device.

    They were never shown to that device; they are kept for the clinician, who sees both.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="earlier")
    answers = models.JSONField(default=dict)
    revision = models.PositiveIntegerField()
    holder_hash = models.CharField(max_length=64, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response", "replaced_at"]

    def __str__(self) -> str:
        return f"{self.response} · replaced {self.replaced_at:%Y-%m-%d %H:%M}"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too: audit rows are only ever added."""

    def update(self, **kwargs):
        raise ImmutableRecord("Audit events cannot be changed.")

    def delete(self):
        raise ImmutableRecord("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """An append-only record of who did what to which intake, and when. Never answers.

    Database triggers refuse any change or deletion (intake.integrity.triggers).
    """

    class Action(models.TextChoices):
        INVITATION_CREATED = "invitation_created", "Invitation created"
        INVITATION_CANCELLED = "invitation_cancelled", "Invitation cancelled"
        INVITATION_REISSUED = "invitation_reissued", "Invitation re-issued"
        LINK_OPENED = "link_opened", "Link opened"
        ANSWERS_VIEWED = "answers_viewed", "Answers shown to the patient"
        ANSWERS_RESTARTED = "answers_restarted", "Questionnaire answered again from another device"
        SESSION_FINISHED = "session_finished", "Patient chose to finish later"
        BIRTH_DATE_FAILED = "birth_date_failed", "Date of birth not confirmed"
        ANSWERS_SAVED = "answers_saved", "Answers saved"
        INTAKE_SUBMITTED = "intake_submitted", "Intake submitted"
        SUMMARY_VIEWED = "summary_viewed", "Summary viewed"
        PDF_DOWNLOADED = "pdf_downloaded", "PDF downloaded"
        PATIENT_COPY_DOWNLOADED = "patient_copy_downloaded", "Patient downloaded their answers"
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        ACCESS_DENIED = "access_denied", "Access denied"
        QUESTIONNAIRE_LOADED = "questionnaire_loaded", "Questionnaire loaded"
        INTAKE_PURGED = "intake_purged", "Expired intake removed"
        ANSWERS_EXPORTED = "answers_exported", "Answers exported"
        MEDIA_UPLOADED = "media_uploaded", "Photo or video sent"
        MEDIA_REMOVED = "media_removed", "Photo or video removed"
        MEDIA_PROCESSED = "media_processed", "Photo or video processed"
        MEDIA_PLAYED = "media_played", "Photo or video viewed"
        MEDIA_DOWNLOADED = "media_downloaded", "Photo or video downloaded"

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    action = models.CharField(max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    # No foreign key: the trail outlives an intake removed by the retention command.
    intake_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (intake.integrity.chain): the previous event's hash in this event's chain
    # (its intake's, or the one of events without an intake), and this event's own.
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    event_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["intake_id", "created_at"], name="audit_intake_time"),
            models.Index(fields=["-created_at"], name="audit_newest"),
            models.Index(fields=["intake_id", "id"], name="audit_chain"),
        ]
        # One event follows any other in its chain: a chain cannot fork (integrity.chain).
        constraints = [
            models.UniqueConstraint(
                fields=["intake_id", "previous_hash"],
                condition=models.Q(intake_id__isnull=False),
                name="audit_chain_one_next",
            ),
            models.UniqueConstraint(
                fields=["previous_hash"],
                condition=models.Q(intake_id__isnull=True),
                name="audit_chain_one_next_no_intake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecord("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Audit events cannot be deleted.")

    def computed_hash(self) -> str:
        """Return the hash this event's content and `previous_hash` give."""
        from .integrity.chain import chain_key, event_hash

        return event_hash(
            previous_hash=self.previous_hash,
            created_at=self.created_at,
            action=self.action,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            intake_id=chain_key(self.intake_id),
            ip_address=self.ip_address,
            detail=self.detail,
        )


from .media.models import MediaFile  # noqa: E402, F401  (the app's models are all found here)
