"""Generated answers for every shipped definition survive FHIR and CSV and read back the same."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.interop.answers_csv import COLUMNS, ResponseRef, answer_rows, answers_from_rows
from intake.interop.fhir import fhir_questionnaire
from intake.interop.fhir_response import ResponseFacts, answers_from_fhir, fhir_response
from tests.interop.fhir_checks import check_response
from tests.questionnaires.test_cleaning_properties import (
    SHIPPED,
    bounded,
    clean,
    shipped,
    strategies,
)

URL = "https://clinic.example.test/fhir/Questionnaire/q"
FACTS = ResponseFacts("7f1c6a52-59c4-4b8e-9d57-4d5d0c2f1a10", URL, 3, True, "2026-11-21T10:00:00Z")


def csv_round_trip(questionnaire, answers):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    ref = ResponseRef("intake-1", "=CHART", questionnaire.id, 3)
    writer.writerows(answer_rows(ref, questionnaire, answers))
    return answers_from_rows(questionnaire, csv.DictReader(io.StringIO(buffer.getvalue())))


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_generated_answers_read_back_from_fhir_and_csv(slug, data):
    questionnaire = shipped(slug)
    plausible, _ = strategies(slug)
    answers = clean(questionnaire, data.draw(plausible)).answers

    response = fhir_response(questionnaire, answers, FACTS)
    check_response(fhir_questionnaire(questionnaire, version=3, url=URL), response, answers)
    assert answers_from_fhir(questionnaire, response) == answers
    assert csv_round_trip(questionnaire, answers) == answers
