"""Where a patient is: the intake their session opened, and the pages (steps) it has."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Intake, Response
from ..questionnaires.conditions import is_shown
from ..questionnaires.schema import Questionnaire, Section

SESSION_INTAKE = "patient_intake"
SESSION_VERIFIED = "patient_verified"


@dataclass(frozen=True)
class Step:
    """One page: a section of one questionnaire."""

    number: int
    response: Response
    section: Section

    @property
    def key(self) -> str:
        return f"{self.response.questionnaire_version.slug}:{self.section.id}"

    @property
    def questionnaire(self) -> Questionnaire:
        return self.response.questionnaire_version.questionnaire


def open_intake(request, intake: Intake) -> None:
    """Start a patient session for this intake, with a fresh session key."""
    request.session.cycle_key()
    request.session[SESSION_INTAKE] = str(intake.pk)
    request.session[SESSION_VERIFIED] = intake.date_of_birth is None


def mark_verified(request) -> None:
    request.session.cycle_key()
    request.session[SESSION_VERIFIED] = True


def close_session(request) -> None:
    for key in (SESSION_INTAKE, SESSION_VERIFIED):
        request.session.pop(key, None)


def session_intake(request) -> Intake | None:
    """Return the intake this session opened, or None."""
    intake_id = request.session.get(SESSION_INTAKE)
    if not intake_id:
        return None
    return Intake.objects.filter(pk=intake_id).first()


def is_verified(request) -> bool:
    return bool(request.session.get(SESSION_VERIFIED))


def responses_of(intake: Intake) -> list[Response]:
    return list(intake.responses.select_related("questionnaire_version").order_by("position"))


def steps_of(responses: list[Response]) -> list[Step]:
    """Return the pages to show, skipping sections whose conditions are not met."""
    steps: list[Step] = []
    for response in responses:
        for section in response.questionnaire_version.questionnaire.sections:
            if is_shown(section.show_if, response.answers):
                steps.append(Step(len(steps) + 1, response, section))
    return steps


def resume_step(steps: list[Step], resume_at: str) -> Step:
    """Return the page to continue at: the one recorded, else the first."""
    return next((step for step in steps if step.key == resume_at), steps[0])
