"""Where a patient is: the intake their session opened, and the pages (steps) it has."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from ..models import Intake, Response
from ..questionnaires.conditions import is_shown
from ..questionnaires.schema import Questionnaire, Section

SESSION_INTAKE = "patient_intake"
SESSION_VERIFIED = "patient_verified"
# The hash of the link the session was opened with: a re-issued link ends the session.
SESSION_LINK = "patient_link"


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
        return questionnaire_of(self.response)


def questionnaire_of(response: Response) -> Questionnaire:
    """Return a response's questionnaire in the language of this request (the patient's)."""
    return response.questionnaire_version.questionnaire_in(translation.get_language())


def open_intake(request, intake: Intake) -> None:
    """Start a patient session for this intake, with a fresh session key.

    The cookie ends when the browser closes (no Max-Age); the server still ends the session
    after the idle time.
    """
    request.session.cycle_key()
    request.session.set_expiry(0)
    request.session[SESSION_INTAKE] = str(intake.pk)
    request.session[SESSION_LINK] = intake.token_hash
    request.session[SESSION_VERIFIED] = intake.date_of_birth is None


def opened_with_current_link(request, intake: Intake) -> bool:
    """Return False once the link this session was opened with was re-issued."""
    return request.session.get(SESSION_LINK) == intake.token_hash


def mark_verified(request) -> None:
    request.session.cycle_key()
    request.session[SESSION_VERIFIED] = True


def close_session(request) -> None:
    for key in (SESSION_INTAKE, SESSION_VERIFIED, SESSION_LINK):
        request.session.pop(key, None)


def end_session(request) -> None:
    """End the patient's session at once, on the server too ("Finish later")."""
    request.session.flush()


def session_intake(request) -> Intake | None:
    """Return the intake this session opened, or None.

    One query loads the intake with its responses (see `responses_of`); the questionnaire
    definitions are parsed once per process, so their stored JSON is not read again.
    """
    intake_id = request.session.get(SESSION_INTAKE)
    if not intake_id:
        return None
    responses = _ordered_responses(Response.objects.filter(intake_id=intake_id))
    if not responses:
        return Intake.objects.filter(pk=intake_id).first()
    intake = responses[0].intake
    intake.loaded_responses = responses
    return intake


def is_verified(request) -> bool:
    return bool(request.session.get(SESSION_VERIFIED))


def responses_of(intake: Intake) -> list[Response]:
    """Return the intake's responses in order: those `session_intake` loaded, else from the db.

    A save updates its response in place, so the loaded list stays current within a request.
    """
    loaded = getattr(intake, "loaded_responses", None)
    if loaded is not None:
        return loaded
    return _ordered_responses(Response.objects.filter(intake=intake), intake)


def _ordered_responses(queryset, intake: Intake | None = None) -> list[Response]:
    responses = list(
        queryset.select_related("intake", "questionnaire_version")
        .defer("questionnaire_version__definition")
        .order_by("position")
    )
    intake = intake or (responses[0].intake if responses else None)
    for response in responses:
        response.intake = intake  # one object, so a save's changes show everywhere
    return responses


def steps_of(responses: list[Response], device: str) -> list[Step]:
    """Return the pages to show, skipping sections whose conditions are not met.

    Questionnaires another device holds have no pages here: even which pages their answers
    open would tell something about them.
    """
    steps: list[Step] = []
    for response in responses:
        if response.is_sealed_for(device):
            continue
        for section in questionnaire_of(response).sections:
            if is_shown(section.show_if, response.answers):
                steps.append(Step(len(steps) + 1, response, section))
    return steps


def resume_step(steps: list[Step], resume_at: str) -> Step | None:
    """Return the page to continue at: the one recorded, else the first (None: no pages)."""
    return next((step for step in steps if step.key == resume_at), steps[0] if steps else None)
