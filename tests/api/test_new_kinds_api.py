"""The patient API with choices with details: follow-ups stored per option, refusals by option."""

from datetime import date

import pytest

from intake import services

from ..definitions import store_new_kinds
from .conftest import invitation_client, put_answers, stored_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(db):
    store_new_kinds()
    return services.create_invitation(
        patient_name="Sam Examplewood",
        date_of_birth=date(1980, 2, 3),
        questionnaire_slugs=["new_kinds"],
    )


@pytest.fixture
def client(invitation):
    return invitation_client(invitation.token, born="1980-02-03")


def test_follow_ups_are_stored_per_chosen_option_with_a_stable_id(client, invitation):
    answers = {
        "areas": ["calf_left"],
        "tried": ["magnesium"],
        "tried.details": {"magnesium": {"_id": "abcdef123456", "helped": "no"}},
    }
    response = put_answers(client, "new_kinds", answers)
    assert response.status_code == 200
    assert response.json()["answers"] == answers
    assert stored_answers(invitation.intake, "new_kinds") == (1, answers)


def test_follow_ups_are_refused_by_option_and_question(client, invitation):
    answers = {
        "tried": ["magnesium"],
        "tried.details": {"magnesium": {"helped": "maybe"}, "massage": {"helped": "no"}},
    }
    response = put_answers(client, "new_kinds", answers)
    assert response.status_code == 400
    message = (
        "You gave details for “Massage”, but it is not ticked. Tick it again to keep them, "
        "or clear them."
    )
    assert response.json()["errors"] == {"tried": message, "tried.details": message}
    answers["tried.details"] = {"magnesium": {"helped": "maybe"}}
    response = put_answers(client, "new_kinds", answers)
    assert response.json()["errors"] == {
        "tried[magnesium].helped": "Choose one of the answers shown."
    }
    assert stored_answers(invitation.intake, "new_kinds") == (0, {})
