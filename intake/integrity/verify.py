"""Re-check what was fixed at submission: answers, stored PDFs, the audit chain, the triggers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from ..media.models import MediaFile
from ..models import AuditEvent, Intake, Response
from ..services import answers_digest
from . import triggers
from .chain import chain_key, event_hash

_CHUNK = 2000


@dataclass
class Report:
    """What was checked, and every mismatch found (ids only, never answers)."""

    responses: int = 0
    pdfs: int = 0
    media_files: int = 0
    events: int = 0
    chains: int = 0
    mismatches: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IntakeCheck:
    """One submitted intake re-checked for the clinician's screen: what matched, what did not."""

    pdf_stored: bool
    problems: list[str]

    @property
    def verified(self) -> bool:
        return not self.problems


def check_intake(intake: Intake) -> IntakeCheck | None:
    """Re-check a submitted intake's answers and stored PDF; None for one not submitted."""
    if intake.status != Intake.Status.SUBMITTED:
        return None
    problems = [
        f"the answers to {response.questionnaire_version.title} do not match the SHA-256 "
        "fixed at submission"
        for response in intake.responses.select_related("questionnaire_version")
        if answers_digest(response.answers) != response.answers_sha256
    ]
    pdf_problem = pdf_mismatch(intake) if intake.summary_pdf else ""
    if pdf_problem:
        problems.append(f"the {pdf_problem}")
    problems += [problem for _, problem in media_mismatches(intake.media.all())]
    return IntakeCheck(pdf_stored=bool(intake.summary_pdf), problems=problems)


def verify_all() -> Report:
    """Recompute every stored digest and the whole audit chain."""
    report = Report()
    report.mismatches += [
        f"database: trigger {name} is missing" for name in triggers.missing(connection)
    ]
    report.mismatches.extend(_responses(report))
    report.mismatches.extend(_pdfs(report))
    report.mismatches.extend(_media(report))
    report.mismatches.extend(_chains(report))
    return report


def _responses(report: Report) -> Iterator[str]:
    submitted = Response.objects.filter(submitted_at__isnull=False).order_by("pk")
    for pk, intake_id, answers, digest in submitted.values_list(
        "pk", "intake_id", "answers", "answers_sha256"
    ).iterator(chunk_size=_CHUNK):
        report.responses += 1
        if answers_digest(answers) != digest:
            yield f"intake {intake_id}: response {pk}: answers do not match their SHA-256"


def _pdfs(report: Report) -> Iterator[str]:
    for intake in (
        Intake.objects.exclude(summary_pdf="")
        .only("pk", "summary_pdf", "summary_pdf_sha256")
        .iterator(chunk_size=_CHUNK)
    ):
        report.pdfs += 1
        problem = pdf_mismatch(intake)
        if problem:
            yield f"intake {intake.pk}: {problem}"


def pdf_mismatch(intake: Intake) -> str:
    """Return what is wrong with an intake's stored PDF, or "" when it matches its SHA-256."""
    try:
        with intake.summary_pdf.open("rb") as stored:
            digest = hashlib.file_digest(stored, "sha256").hexdigest()
    except OSError:
        return "stored PDF is missing"
    if digest != intake.summary_pdf_sha256:
        return "stored PDF does not match its SHA-256"
    return ""


def _media(report: Report) -> Iterator[str]:
    ready = MediaFile.objects.filter(status=MediaFile.Status.READY).order_by("pk")
    for media, problem in media_mismatches(ready.iterator(chunk_size=_CHUNK), report):
        yield f"intake {media.intake_id}: media {media.pk}: {problem}"


def media_mismatches(media_files, report: Report | None = None) -> Iterator[tuple]:
    """Yield (media, problem) for each stored photo, video or poster not matching its SHA-256.

    Processed files are at most a few tens of MB (720p, 60 s), so hashing them is cheap.
    """
    for media in media_files:
        if media.status != MediaFile.Status.READY:
            continue
        if report is not None:
            report.media_files += 1
        for label, stored, expected in (
            ("stored " + media.kind, media.file, media.file_sha256),
            ("poster frame", media.poster, media.poster_sha256),
        ):
            try:
                with stored.open("rb") as file:
                    digest = hashlib.file_digest(file, "sha256").hexdigest()
            except (OSError, ValueError):
                yield media, f"{label} is missing"
                continue
            if digest != expected:
                yield media, f"{label} does not match its SHA-256"


def _chains(report: Report) -> Iterator[str]:
    columns = ["pk", "created_at", "action", "actor_id", "actor_label", "intake_id"]
    columns += ["ip_address", "detail", "previous_hash", "event_hash"]
    events = AuditEvent._base_manager.order_by("intake_id", "id").values_list(*columns)
    current, head = object(), ""
    for (
        pk,
        created_at,
        action,
        actor_id,
        label,
        intake_id,
        ip,
        detail,
        previous,
        own,
    ) in events.iterator(chunk_size=_CHUNK):
        report.events += 1
        key = chain_key(intake_id)
        if key != current:
            current, head = key, ""
            report.chains += 1
        where = f"audit event {pk} (intake {key})" if key else f"audit event {pk} (no intake)"
        if previous != head:
            yield f"{where}: does not follow the event before it in its chain"
        recomputed = event_hash(
            previous_hash=previous,
            created_at=created_at,
            action=action,
            actor_id=actor_id,
            actor_label=label,
            intake_id=key,
            ip_address=ip,
            detail=detail,
        )
        if recomputed != own:
            yield f"{where}: its content does not match its hash"
        head = own
