"""Generated answers for every shipped definition survive FHIR and CSV and read back the same.

Choices with details get answers of their own: several options chosen (in any order: cleaning
puts them in the options' order), each with some follow-ups answered, some with none.
"""

import csv
import functools
import io

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from intake.interop.answers_csv import COLUMNS, ResponseRef, answer_rows, answers_from_rows
from intake.interop.fhir import fhir_questionnaire
from intake.interop.fhir_response import ResponseFacts, answers_from_fhir, fhir_response
from intake.questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX, ROW_ID_KEY
from intake.questionnaires.loader import load_file
from tests.definitions import NEW_KINDS
from tests.interop.fhir_checks import check_response
from tests.questionnaires.test_cleaning_properties import (
    SHIPPED,
    bounded,
    clean,
    plausible_answers,
    shipped,
    valid_value,
)

URL = "https://clinic.example.test/fhir/Questionnaire/q"
FACTS = ResponseFacts("7f1c6a52-59c4-4b8e-9d57-4d5d0c2f1a10", URL, 3, True, "2026-11-21T10:00:00Z")
ROW_IDS = st.sampled_from(["a1b2c3d4e5f6", "0f0f0f0f0f0f", "abc123"]) | st.text(max_size=8)


def csv_round_trip(questionnaire, answers):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    ref = ResponseRef("intake-1", "=CHART", questionnaire.id, 3)
    writer.writerows(answer_rows(ref, questionnaire, answers))
    return answers_from_rows(questionnaire, csv.DictReader(io.StringIO(buffer.getvalue())))


@functools.cache
def definition(slug: str):
    return load_file(NEW_KINDS).questionnaire if slug == "new_kinds" else shipped(slug)


def _other_text(item) -> dict:
    has_other = any(option.other for option in getattr(item, "options", None) or ())
    return {item.id + OTHER_SUFFIX: st.text(min_size=1, max_size=40)} if has_other else {}


def detail_entry(item):
    """Return a strategy of one chosen option's follow-up answers (possibly none)."""
    optional = {}
    for detail in item.details:
        if detail.type != "display":
            optional[detail.id] = valid_value(detail)
            optional.update(_other_text(detail))
    return st.fixed_dictionaries({ROW_ID_KEY: ROW_IDS}, optional=optional)


def choices_with_details(item):
    """Return a strategy of a choice's answer: several options, each with its follow-ups."""
    several = [option.value for option in item.options if not option.exclusive]
    alone = [[option.value] for option in item.options if option.exclusive]
    picked = st.lists(st.sampled_from(several), min_size=1, max_size=len(several), unique=True)
    if alone:
        picked = picked | st.sampled_from(alone)
    return picked.flatmap(
        lambda values: st.fixed_dictionaries(
            {
                item.id: st.permutations(values),
                item.id + DETAILS_SUFFIX: st.fixed_dictionaries(
                    {value: detail_entry(item) for value in values}
                ),
            },
            optional=_other_text(item),
        )
    )


@functools.cache
def answers_strategy(slug: str):
    """Return answers shaped like the definition, choices with details answered in full."""
    questionnaire = definition(slug)
    with_details = [
        item for _, _, item in questionnaire.iter_items() if getattr(item, "details", None)
    ]
    parts = [plausible_answers(questionnaire)]
    parts += [st.one_of(st.just({}), choices_with_details(item)) for item in with_details]
    return st.tuples(*parts).map(lambda drawn: {k: v for part in drawn for k, v in part.items()})


ROUND_TRIP = [*SHIPPED, pytest.param("new_kinds", id="new_kinds")]


@pytest.mark.parametrize("slug", ROUND_TRIP)
@bounded
@given(data=st.data())
def test_generated_answers_read_back_from_fhir_and_csv(slug, data):
    questionnaire = definition(slug)
    answers = clean(questionnaire, data.draw(answers_strategy(slug))).answers

    response = fhir_response(questionnaire, answers, FACTS)
    # The checker also holds every chosen option's answer.id to its stored `_id`, in order.
    check_response(fhir_questionnaire(questionnaire, version=3, url=URL), response, answers)
    assert answers_from_fhir(questionnaire, response) == answers
    assert csv_round_trip(questionnaire, answers) == answers


def test_the_generator_reaches_several_options_with_follow_ups_in_their_order():
    """The round trip above is only worth something if its answers hold details like these."""
    questionnaire = definition("new_kinds")

    def rich(raw) -> bool:
        answers = clean(questionnaire, raw).answers
        details = answers.get("tried" + DETAILS_SUFFIX, {})
        answered = [entry for entry in details.values() if len(entry) > 2]
        return len(details) >= 3 and len(answered) >= 2 and "tried" + OTHER_SUFFIX in answers

    # The first rich example is enough: shrinking it to the smallest one took minutes.
    first_found = settings(phases=[Phase.generate], max_examples=2000, database=None)
    raw = find(answers_strategy("new_kinds"), rich, settings=first_found)
    answers = clean(questionnaire, raw).answers
    assert answers_from_fhir(questionnaire, fhir_response(questionnaire, answers, FACTS)) == (
        answers
    )
    assert csv_round_trip(questionnaire, answers) == answers
