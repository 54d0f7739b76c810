"""Read intakes for export: FHIR resources of stored versions and intakes, and CSV streams.

The selectors here read the database and call the plain mappers (`fhir`, `fhir_response`,
`answers_csv`). The bulk CSV reads responses in chunks from a server-side cursor, so memory
stays flat however many intakes are exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ..models import Intake, QuestionnaireVersion, Response
from .answers_csv import COLUMNS, ResponseRef, answer_rows
from .fhir import canonical_url, fhir_questionnaire
from .fhir_response import ResponseFacts, fhir_bundle, fhir_response, stable_uuid

CHUNK_SIZE = 500
EXPORT_STATUSES = ("submitted", "in_progress", "all")


def questionnaire_resource(version: QuestionnaireVersion) -> dict:
    """Return the FHIR Questionnaire of one stored version."""
    return fhir_questionnaire(
        version.questionnaire,
        version=version.version,
        url=canonical_url(settings.PUBLIC_BASE_URL, version.slug),
        date=_instant(version.created_at),
    )


def response_resource(intake: Intake, response: Response) -> dict:
    """Return the FHIR QuestionnaireResponse of one response."""
    version = response.questionnaire_version
    facts = ResponseFacts(
        id=str(stable_uuid(f"{intake.pk}/{version.slug}")),
        questionnaire_url=canonical_url(settings.PUBLIC_BASE_URL, version.slug),
        version=version.version,
        submitted=response.submitted_at is not None,
        authored=_instant(response.submitted_at or response.updated_at),
        language=intake.language,
    )
    return fhir_response(version.questionnaire, response.answers, facts)


def intake_bundle(intake: Intake) -> dict:
    """Return the intake as a `collection` Bundle: its questionnaire versions and responses."""
    responses = list(intake.responses.select_related("questionnaire_version").order_by("position"))
    return fhir_bundle(
        str(intake.pk),
        _instant(intake.submitted_at or intake.updated_at),
        [questionnaire_resource(response.questionnaire_version) for response in responses],
        [response_resource(intake, response) for response in responses],
    )


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- CSV ------------------------------------------------------------------------------------


def intake_responses(intake: Intake) -> QuerySet[Response]:
    """Return one intake's responses in export order."""
    return _exported(Response.objects.filter(intake=intake))


def responses_for_export(
    *, submitted_from: date | None, submitted_to: date | None, status: str
) -> QuerySet[Response]:
    """Return the responses of intakes submitted in a date range (inclusive), by status."""
    responses = Response.objects.all()
    if status == "submitted":
        responses = responses.filter(intake__status=Intake.Status.SUBMITTED)
    elif status == "in_progress":
        responses = responses.filter(intake__status=Intake.Status.IN_PROGRESS)
    if submitted_from:
        responses = responses.filter(intake__submitted_at__gte=_day_start(submitted_from))
    if submitted_to:
        responses = responses.filter(
            intake__submitted_at__lt=_day_start(submitted_to) + timedelta(days=1)
        )
    return _exported(responses)


def _exported(responses: QuerySet[Response]) -> QuerySet[Response]:
    return (
        responses.select_related("intake")
        .order_by("intake__submitted_at", "intake_id", "position")
        .only(
            "answers",
            "position",
            "questionnaire_version_id",
            "intake__id",
            "intake__clinic_reference",
            "intake__submitted_at",
        )
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def csv_lines(responses: QuerySet[Response]) -> Iterator[str]:
    """Yield the CSV text, header first, a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    versions: dict[int, QuestionnaireVersion] = {}
    for response in responses.iterator(chunk_size=CHUNK_SIZE):
        version_id = response.questionnaire_version_id
        if version_id not in versions:  # a handful of versions, read once each
            versions[version_id] = QuestionnaireVersion.objects.get(pk=version_id)
        version = versions[version_id]
        ref = ResponseRef(
            str(response.intake.pk), response.intake.clinic_reference, version.slug, version.version
        )
        writer.writerows(answer_rows(ref, version.questionnaire, response.answers))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
