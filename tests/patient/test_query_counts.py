"""The two hot patient requests stay cheap: a budget of database queries for each.

A question page viewed again and an autosave are what a patient's phone sends most. Each
budget is the count today; a change that needs more must raise it here, knowingly. The failure
lists every query the request made.
"""

from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.services import create_invitation

from .conftest import open_link

QUESTION_PAGE_AGAIN = 1  # the intake with its responses; nothing written
# The first view in a visit also appends "answers viewed" to the audit chain: its head, then
# the event.
QUESTION_PAGE_FIRST = 3
# The intake with its responses; then, only when a questionnaire asks for photos or videos (the
# twitching one does), the files sent: they have no stored answer to list.
REVIEW_AGAIN = 2
REVIEW_AGAIN_WITHOUT_MEDIA_QUESTIONS = 1
# The responses; then in one transaction: lock the open intake, store the answers, read the
# audit chain's head, append the event (plus the transaction's begin and commit, or savepoint).
AUTOSAVE = 7


@contextmanager
def at_most(budget: int):
    """Fail when the block makes more than `budget` queries, listing every one of them."""
    with CaptureQueriesContext(connection) as queries:
        yield
    made = [query["sql"] for query in queries.captured_queries]
    listed = "\n".join(f"  {number}. {sql}" for number, sql in enumerate(made, 1))
    assert len(made) <= budget, f"{len(made)} queries, budget {budget}:\n{listed}"


@pytest.fixture
def patient(client, invitation, settings):
    settings.SESSION_ENGINE = "intake.sessions"  # as in production: Redis, database behind it
    assert open_link(client, invitation).status_code == 302
    return client


def test_a_question_page_viewed_again_makes_one_query(patient):
    assert patient.get("/patient/step/1/").status_code == 200  # recorded as viewed
    with at_most(QUESTION_PAGE_AGAIN):
        page = patient.get("/patient/step/1/")
    assert page.status_code == 200


def test_a_question_page_first_shown_in_a_visit_makes_three_queries(patient):
    assert patient.get("/patient/review/").status_code == 200  # every definition parsed
    with at_most(QUESTION_PAGE_FIRST):
        page = patient.get("/patient/step/1/")
    assert page.status_code == 200


def test_the_review_page_viewed_again_makes_one_query(patient):
    assert patient.get("/patient/review/").status_code == 200
    with at_most(REVIEW_AGAIN):
        page = patient.get("/patient/review/")
    assert page.status_code == 200


def test_the_review_page_asks_for_no_files_when_no_questionnaire_takes_any(
    client, settings, questionnaires
):
    settings.SESSION_ENGINE = "intake.sessions"
    invitation = create_invitation(
        patient_name="Robin Testperson",
        date_of_birth=date(1975, 6, 30),
        questionnaire_slugs=["surgeries", "medications"],
    )
    assert open_link(client, invitation).status_code == 302
    assert client.get("/patient/review/").status_code == 200
    with at_most(REVIEW_AGAIN_WITHOUT_MEDIA_QUESTIONS):
        page = client.get("/patient/review/")
    assert page.status_code == 200


def test_an_autosave_stays_within_its_query_budget(patient):
    patient.get("/patient/step/1/")
    revision = 0
    for areas in (["left_calf"], ["left_calf", "right_calf"]):  # the first save, then another
        with at_most(AUTOSAVE):
            saved = patient.post(
                "/patient/step/1/autosave/", {"revision": revision, "areas": areas}
            )
        assert saved.status_code == 200
        revision = saved.json()["revision"]
    assert revision == 2
