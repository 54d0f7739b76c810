"""Security fixtures: two patients with different answers, and clients for every role."""

import copy
from datetime import date

import pytest
from django.test import Client

from intake import services
from intake.demo import DEMO_ANSWERS

from ..patient.conftest import open_link

# Answers only patient B gave: they must never reach patient A, and A's never reach B.
B_MEDICINE = "Levothyroxine"
B_OTHER_AREA = "Under the right heel"
B_ALLERGY = "Latex"


def answers_of_b() -> dict[str, dict]:
    """Return the demo answers with B's own free text in place of the demo's."""
    answers = copy.deepcopy(DEMO_ANSWERS)
    answers["twitch_history"]["areas.other"] = B_OTHER_AREA
    answers["twitch_history"]["tried.details"]["medicine"]["notes"] = B_MEDICINE
    answers["medications"]["medicines"] = [
        {
            "_id": "bmed00000001",
            "medicine_name": B_MEDICINE,
            "medicine_dose": "50 mcg",
            "medicine_how_often": "once_daily",
            "medicine_for": "Thyroid",
            "medicine_still_taking": "yes",
        }
    ]
    answers["medications"]["allergies"] = [
        {
            "_id": "ball00000001",
            "allergy_substance": B_ALLERGY,
            "allergy_reaction": "Rash",
            "allergy_severity": "mild",
        }
    ]
    return answers


def save_all(invitation: services.Invitation, answers: dict[str, dict]) -> None:
    responses = invitation.intake.responses.select_related("intake", "questionnaire_version")
    for response in responses:
        services.save_answers(
            response=response,
            answers=answers[response.questionnaire_version.slug],
            revision=response.revision,
        )


@pytest.fixture
def other_invitation(questionnaires):
    return services.create_invitation(
        patient_name="Kim Otherperson", date_of_birth=date(1990, 1, 2), clinic_reference="T-200"
    )


def patient_client(invitation: services.Invitation) -> Client:
    """A client whose session opened `invitation` and confirmed the date of birth.

    It also sends the API's headers, so the same client is that patient on the web and the API.
    """
    born = invitation.intake.date_of_birth
    client = Client(
        headers={
            "X-Intake-Token": invitation.token,
            "X-Intake-Birth-Date": born.isoformat(),
            "X-Intake-Device": f"device-{invitation.token}",
        }
    )
    verified = open_link(
        client, invitation, birth_date=(str(born.day), str(born.month), str(born.year))
    )
    assert verified.status_code == 302, verified.content[:500]
    return client
