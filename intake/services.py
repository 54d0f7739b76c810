"""The intake lifecycle: invite, save answers, submit, cancel, re-issue.

The patient pages, the clinic pages and the API all call these functions; none of them writes
these rules again. Each runs in one transaction, writes one audit event and refuses with a
domain exception that says why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit, catalog
from .models import EarlierAnswers, Intake, Response
from .questionnaires.cleaning import CleanedAnswers, clean_answers
from .tokens import hash_token, new_token

Action = audit.Action


class IntakeError(Exception):
    """A lifecycle step was refused; the message is safe to show."""


class UnknownQuestionnaire(IntakeError):
    pass


class IntakeClosed(IntakeError):
    """The intake no longer takes answers: submitted, cancelled or expired."""

    def __init__(self, intake: Intake):
        self.status = intake.effective_status
        super().__init__(f"This intake is {intake.effective_status_label.lower()}.")


class AnswersInvalid(IntakeError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(_("Some answers need attention."))


class RevisionConflict(IntakeError):
    """The answers changed elsewhere (another tab or device) since this revision was read."""

    def __init__(self, response: Response):
        self.revision = response.revision
        self.answers = response.answers
        super().__init__(_("These answers were changed elsewhere. Reload to see the latest."))


class AnswersSealed(IntakeError):
    """Another device holds these answers: this one may neither see nor change them."""

    def __init__(self, slugs: list[str]):
        self.slugs = slugs
        super().__init__(
            _(
                "Some answers were given on another device. They are kept for the clinic but "
                "are not shown or changed here. Carry on from that device, or answer those "
                "questionnaires again here."
            )
        )


class IntakeIncomplete(IntakeError):
    """Required questions are unanswered; `missing` maps questionnaire slug to item paths."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        super().__init__(_("Some required questions are not answered yet."))


# The earliest date of birth an invitation accepts: anything earlier is a typing slip.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def birth_date_problem(born: date | None, *, today: date) -> str:
    """Return why an invitation cannot take this date of birth, or "" when it can."""
    if born is None:
        return ""
    if born > today:
        return "The date of birth cannot be in the future."
    if born < EARLIEST_BIRTH_DATE:
        return f"The date of birth cannot be before {EARLIEST_BIRTH_DATE.year}."
    return ""


@dataclass(frozen=True)
class Invitation:
    """A new invitation: the intake and its token, which is shown once and never stored."""

    intake: Intake
    token: str

    @property
    def link(self) -> str:
        return invitation_link(self.token)


def invitation_link(token: str) -> str:
    """Return the patient's link, built from the configured base URL, never the request."""
    return f"{settings.PUBLIC_BASE_URL}/i/{token}/"


@transaction.atomic
def create_invitation(
    *,
    patient_name: str,
    date_of_birth: date | None,
    clinic_reference: str = "",
    questionnaire_slugs: Iterable[str] | None = None,
    expires_in_days: int | None = None,
    created_by=None,
    ip_address: str | None = None,
) -> Invitation:
    """Create an intake pinned to the current version of each questionnaire asked."""
    slugs = list(questionnaire_slugs) if questionnaire_slugs is not None else None
    versions = catalog.current_versions(slugs)
    if slugs is not None and len(versions) != len(slugs):
        found = {version.slug for version in versions}
        raise UnknownQuestionnaire(f"Unknown questionnaire: {', '.join(set(slugs) - found)}.")
    if not versions:
        raise UnknownQuestionnaire("No questionnaires are loaded yet.")
    days = expires_in_days if expires_in_days is not None else settings.INVITATION_DAYS
    token = new_token()
    intake = Intake.objects.create(
        patient_name=patient_name.strip(),
        date_of_birth=date_of_birth,
        clinic_reference=clinic_reference.strip(),
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=created_by,
    )
    Response.objects.bulk_create(
        Response(intake=intake, questionnaire_version=version, position=position)
        for position, version in enumerate(versions)
    )
    audit.record(
        Action.INVITATION_CREATED,
        intake=intake,
        user=created_by,
        ip_address=ip_address,
        questionnaires=[version.slug for version in versions],
    )
    return Invitation(intake, token)


def intake_for_token(token: str) -> Intake | None:
    """Return the intake a link's token opens, whatever its status, or None."""
    if not token or len(token) > 200:
        return None
    return Intake.objects.filter(token_hash=hash_token(token)).first()


@transaction.atomic
def save_answers(
    *,
    response: Response,
    answers: Mapping[str, Any],
    revision: int,
    keep_valid: bool = False,
    require: bool | Collection[str] = False,
    report_unasked: bool | Collection[str] = True,
    device: str | None = None,
    ip_address: str | None = None,
) -> tuple[Response, CleanedAnswers]:
    """Store one questionnaire's answers if `revision` is still current.

    The answers replace the stored ones. Invalid answers refuse the whole save, unless
    `keep_valid`, when the valid ones are stored and an invalid one keeps its stored value.
    `require` reports unanswered required questions (all, or of the sections named) as errors.
    `report_unasked` (all, or the sections named) refuses answers to questions that are not
    asked, and "Other" text without "Other", instead of dropping them without a word; they are
    never stored. The API reports them all; a patient page only those of its own section.
    `device` is the hash of the patient device saving (see `Response.holder_hash`): the first
    device to save holds the answers and no other may change them. The patient pages and API
    always pass it; None is for the clinic's own tools (demo data), which hold nothing.
    """
    # One statement locks the intake, checks it is still open and marks the patient's activity.
    # It locks in the same order as submit_intake (intake, then responses): a save and a submit
    # then never deadlock, and no save lands between submit reading the answers it hashes and
    # freezing them.
    now = timezone.now()
    if not _lock_open_intake(response.intake_id, now):
        raise IntakeClosed(Intake.objects.get(pk=response.intake_id))
    # In the reader's language, so that messages name the questions as the patient read them.
    questionnaire = response.questionnaire_version.questionnaire_in(translation.get_language())
    cleaned = clean_answers(
        questionnaire,
        answers,
        today=timezone.localdate(),
        require=require,
        report_unasked=report_unasked,
    )
    if not cleaned.is_valid and not keep_valid:
        raise AnswersInvalid(cleaned.problems)
    stored = _keep_stored_where_invalid(cleaned, response.answers)
    matching = Response.objects.filter(pk=response.pk, revision=revision, submitted_at__isnull=True)
    holder = {}
    if device is not None:
        matching = matching.filter(holder_hash__in=("", device))
        holder = {"holder_hash": device}
    updated = matching.update(answers=stored, revision=F("revision") + 1, updated_at=now, **holder)
    if not updated:
        current = Response.objects.select_related("intake", "questionnaire_version").get(
            pk=response.pk
        )
        if current.submitted_at is not None:
            raise IntakeClosed(current.intake)
        # Sealed first: a repeat of answers another device holds must not confirm a guess.
        if device is not None and current.is_sealed_for(device):
            raise AnswersSealed([current.questionnaire_version.slug])
        if not _is_repeat_of_stored(stored, current, revision):
            raise RevisionConflict(current)
        # A retried save that already committed (its reply was lost): it succeeded.
        response.answers, response.revision = current.answers, current.revision
        response.updated_at = current.updated_at
        return response, cleaned
    # The conditional update wrote exactly these values: no need to read them back.
    response.answers, response.revision, response.updated_at = stored, revision + 1, now
    response.holder_hash = device if device is not None else response.holder_hash
    intake = response.intake
    if intake.status == Intake.Status.INVITED:
        intake.status, intake.started_at = Intake.Status.IN_PROGRESS, intake.started_at or now
    intake.updated_at = now
    audit.record(
        Action.ANSWERS_SAVED,
        intake=intake,
        actor_label="patient",
        ip_address=ip_address,
        questionnaire=response.questionnaire_version.slug,
        revision=response.revision,
        **({"device": device[:8]} if device else {}),
    )
    return response, cleaned


def _is_repeat_of_stored(stored: dict, current: Response, revision: int) -> bool:
    """True when a save read an older revision but would store exactly what is stored now."""
    return current.revision > revision and current.answers == stored


def _lock_open_intake(intake_id, now) -> bool:
    """Lock an open, unexpired intake and record activity on it; False when it is closed.

    A first save moves it from invited to in progress.
    """
    open_statuses = (Intake.Status.INVITED, Intake.Status.IN_PROGRESS)
    return bool(
        Intake.objects.filter(pk=intake_id, status__in=open_statuses, expires_at__gt=now).update(
            status=Intake.Status.IN_PROGRESS,
            started_at=Coalesce(F("started_at"), Value(now)),
            updated_at=now,
        )
    )


def _keep_stored_where_invalid(cleaned: CleanedAnswers, stored: dict) -> dict:
    kept = dict(cleaned.answers)
    for key in cleaned.errors:
        if key in stored and key not in kept:
            kept[key] = stored[key]
    return kept


def record_progress(*, intake: Intake, resume_at: str) -> None:
    """Remember the page a patient reached, so the link resumes there on any device."""
    Intake.objects.filter(pk=intake.pk).update(resume_at=resume_at[:200])
    intake.resume_at = resume_at[:200]


def record_language(*, intake: Intake, language: str) -> None:
    """Store the language the patient reads the questionnaires in, while they may still answer.

    The clinician's summary says which language the answers were given in.
    """
    if intake.accepts_answers and intake.language != language:
        Intake.objects.filter(pk=intake.pk).update(language=language)
        intake.language = language


def missing_answers(
    intake: Intake, *, responses: Iterable[Response] | None = None
) -> dict[str, list[str]]:
    """Return the required questions still unanswered, by questionnaire slug.

    `responses` are the intake's responses when the caller has them already (a page).
    """
    missing: dict[str, list[str]] = {}
    for response in _responses(intake) if responses is None else responses:
        cleaned = clean_answers(
            response.questionnaire_version.questionnaire,
            response.answers,
            today=timezone.localdate(),
            require=True,
        )
        if cleaned.missing:
            missing[response.questionnaire_version.slug] = list(cleaned.missing)
    return missing


@transaction.atomic
def submit_intake(
    *, intake: Intake, device: str | None = None, ip_address: str | None = None
) -> Intake:
    """Freeze every response and mark the intake submitted; submitting again changes nothing.

    A patient device may send only when it holds every answered questionnaire, so nobody can
    send answers on a patient's behalf from a device that was never shown them.
    """
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status == Intake.Status.SUBMITTED:
        return locked
    if not locked.accepts_answers:
        raise IntakeClosed(locked)
    if device is not None:
        sealed = sealed_questionnaires(_responses(locked), device)
        if sealed:
            raise AnswersSealed(sealed)
    missing = missing_answers(locked)
    if missing:
        raise IntakeIncomplete(missing)
    now = timezone.now()
    for response in _responses(locked):
        Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            submitted_at=now, answers_sha256=answers_digest(response.answers)
        )
    locked.status, locked.submitted_at = Intake.Status.SUBMITTED, now
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        Action.INTAKE_SUBMITTED, intake=locked, actor_label="patient", ip_address=ip_address
    )
    # Once the submission is committed, a worker renders and keeps the summary PDF, so that the
    # clinician's first download is served from storage.
    transaction.on_commit(partial(_queue_summary_pdf, locked.pk))
    return locked


def _queue_summary_pdf(intake_id) -> None:
    from .summary.tasks import queue_summary_pdf  # imported here: intake.summary imports this

    queue_summary_pdf(intake_id)


def sealed_questionnaires(responses: Iterable[Response], device: str) -> list[str]:
    """Return the slugs of the questionnaires whose answers another device holds."""
    return [r.questionnaire_version.slug for r in responses if r.is_sealed_for(device)]


@transaction.atomic
def restart_answers(*, response: Response, device: str, ip_address: str | None = None) -> Response:
    """Let this device answer a questionnaire another device holds, from the start.

    The earlier answers are kept (`EarlierAnswers`) for the clinician and never shown here.
    """
    if not device:
        raise IntakeError("This device cannot be recognised. Open your link again.")
    if not _lock_open_intake(response.intake_id, timezone.now()):
        raise IntakeClosed(Intake.objects.get(pk=response.intake_id))
    current = Response.objects.select_for_update().get(pk=response.pk)
    if current.submitted_at is not None:
        raise IntakeClosed(current.intake)
    if not current.is_sealed_for(device):
        return current
    EarlierAnswers.objects.create(
        response=current,
        answers=current.answers,
        revision=current.revision,
        holder_hash=current.holder_hash,
    )
    current.answers, current.holder_hash = {}, device
    current.revision += 1
    current.save(update_fields=["answers", "holder_hash", "revision", "updated_at"])
    audit.record(
        Action.ANSWERS_RESTARTED,
        intake=current.intake_id,
        actor_label="patient",
        ip_address=ip_address,
        questionnaire=response.questionnaire_version.slug,
        device=device[:8],
    )
    return current


def answers_digest(answers: dict) -> str:
    """Return the SHA-256 of answers in canonical JSON, stored at submission for integrity."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def cancel_invitation(*, intake: Intake, by, ip_address: str | None = None) -> Intake:
    """Stop a link from working; a submitted intake cannot be cancelled."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status == Intake.Status.CANCELLED:
        return locked
    if locked.status == Intake.Status.SUBMITTED:
        raise IntakeClosed(locked)
    locked.status, locked.cancelled_at = Intake.Status.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit.record(Action.INVITATION_CANCELLED, intake=locked, user=by, ip_address=ip_address)
    return locked


@transaction.atomic
def reissue_invitation(
    *, intake: Intake, by, expires_in_days: int | None = None, ip_address: str | None = None
) -> Invitation:
    """Give an open or expired intake a new token and expiry; the old link stops working."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if not locked.is_open_status:
        raise IntakeClosed(locked)
    days = expires_in_days if expires_in_days is not None else settings.INVITATION_DAYS
    token = new_token()
    locked.token_hash = hash_token(token)
    locked.expires_at = timezone.now() + timedelta(days=days)
    locked.save(update_fields=["token_hash", "expires_at", "updated_at"])
    audit.record(Action.INVITATION_REISSUED, intake=locked, user=by, ip_address=ip_address)
    return Invitation(locked, token)


def _responses(intake: Intake) -> list[Response]:
    return list(
        Response.objects.filter(intake=intake)
        .select_related("questionnaire_version")
        .order_by("position")
    )
