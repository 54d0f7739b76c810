"""The summary document of one intake: what the screen and the PDF both show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Intake
from .builder import AnsweredQuestionnaire, Summary, build_summary
from .history import Reissue, ReplacedAnswers, reissues, replaced_answers

FOOTER = (
    "Patient-reported answers collected on {date}. "
    "This summary contains no diagnosis or treatment recommendation."
)


@dataclass(frozen=True)
class IntakeDocument:
    intake: Intake
    summary: Summary
    versions: list[tuple[str, int]]
    draft: bool
    collected_on: datetime
    reissues: list[Reissue]
    replaced: list[ReplacedAnswers]
    # SHA-256 of the FHIR Bundle the PDF carries: an archived PDF is checked against its data.
    data_sha256: str = ""

    @property
    def footer(self) -> str:
        footer = FOOTER.format(date=f"{timezone.localtime(self.collected_on):%-d %b %Y}")
        if self.data_sha256:
            footer += f" Attached data SHA-256: {self.data_sha256}"
        return footer


def intake_document(intake: Intake) -> IntakeDocument:
    """Read an intake's responses and build its summary document."""
    responses = list(intake.responses.select_related("questionnaire_version").order_by("position"))
    answered = [
        AnsweredQuestionnaire(
            response.questionnaire_version.slug,
            response.questionnaire_version.version,
            response.questionnaire_version.questionnaire,
            response.answers,
        )
        for response in responses
    ]
    draft = intake.status != Intake.Status.SUBMITTED
    collected = intake.submitted_at or max(
        (response.updated_at for response in responses), default=intake.created_at
    )
    return IntakeDocument(
        intake=intake,
        summary=build_summary(answered),
        versions=[
            (r.questionnaire_version.title, r.questionnaire_version.version) for r in responses
        ],
        draft=draft,
        collected_on=collected,
        reissues=reissues(
            intake, {r.questionnaire_version.slug: r.questionnaire_version.title for r in responses}
        ),
        replaced=replaced_answers(responses),
    )


def render_document_html(document: IntakeDocument, *, patient_copy: bool = False) -> str:
    """Return the standalone HTML the PDF is made from.

    The patient's copy holds their answers only: no "At a glance" or key items (the clinic's
    reading aids), no re-issue facts and no earlier answers (the clinic's records).
    """
    context = {"document": document, "patient_copy": patient_copy}
    return render_to_string("summary/pdf.html", context)
