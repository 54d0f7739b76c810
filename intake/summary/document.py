"""The summary document of one intake: what the screen and the PDF both show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from ..models import Intake
from .builder import AnsweredQuestionnaire, Summary, build_summary
from .history import Reissue, ReplacedAnswers, reissues, replaced_answers

FOOTER = gettext_lazy(
    "Patient-reported answers collected on %(date)s. "
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
    # The reader's language: English for the clinic; the patient's copy is in the patient's.
    language: str = "en"

    @property
    def footer(self) -> str:
        collected = formats.date_format(timezone.localtime(self.collected_on), "j M Y")
        footer = FOOTER % {"date": collected}
        if self.data_sha256:
            footer += f" Attached data SHA-256: {self.data_sha256}"
        return footer

    @property
    def written_in(self) -> str:
        """Return the patient's language where it is not the reader's (their words are in it)."""
        return "" if self.intake.language == self.language else self.intake.language

    @property
    def completed_in(self) -> str:
        """Return the English name of the language the intake was answered in, if not English."""
        if self.intake.language == "en":
            return ""
        return translation.get_language_info(self.intake.language)["name"]


def intake_document(intake: Intake, *, language: str = "en") -> IntakeDocument:
    """Read an intake's responses and build its summary document for a reader of `language`.

    The clinic reads English: the questions and the choices in English, the patient's own words
    as written. The patient's copy is in the language they answered in.
    """
    with translation.override(language):
        return _intake_document(intake, language)


def _intake_document(intake: Intake, language: str) -> IntakeDocument:
    responses = list(intake.responses.select_related("questionnaire_version").order_by("position"))
    answered = [
        AnsweredQuestionnaire(
            response.questionnaire_version.slug,
            response.questionnaire_version.version,
            response.questionnaire_version.questionnaire_in(language),
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
            (
                r.questionnaire_version.questionnaire_in(language).title,
                r.questionnaire_version.version,
            )
            for r in responses
        ],
        draft=draft,
        collected_on=collected,
        reissues=reissues(
            intake, {r.questionnaire_version.slug: r.questionnaire_version.title for r in responses}
        ),
        replaced=replaced_answers(responses),
        language=language,
    )


def render_document_html(document: IntakeDocument, *, patient_copy: bool = False) -> str:
    """Return the standalone HTML the PDF is made from.

    The patient's copy holds their answers only: no "At a glance" or key items (the clinic's
    reading aids), no re-issue facts and no earlier answers (the clinic's records).
    """
    from ..media.pdf import media_entries

    context = {"document": document, "patient_copy": patient_copy}
    if not patient_copy:
        context["media"] = media_entries(document.intake)
    with translation.override(document.language):
        return render_to_string("summary/pdf.html", context)
