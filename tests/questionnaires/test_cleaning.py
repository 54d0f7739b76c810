"""Answer cleaning: one test per rule, with the message a patient would read."""

import re
import textwrap
from datetime import date

import pytest

from intake.questionnaires.cleaning import MSG_REQUIRED, MSG_UNKNOWN, clean_answers
from intake.questionnaires.loader import load_text
from intake.questionnaires.schema import Questionnaire

TODAY = date(2026, 11, 21)


def make(yaml_text: str) -> Questionnaire:
    """Load a definition written inline; the header (id, title) is added when missing."""
    text = textwrap.dedent(yaml_text)
    if not text.lstrip().startswith("id:"):
        text = "id: sample\ntitle: Sample\n" + text
    return load_text(text).questionnaire


def one_item(item_yaml: str) -> Questionnaire:
    """Return a one-page questionnaire holding the item given as a YAML flow mapping."""
    return make(
        f"""\
        sections:
          - id: first
            title: First
            items:
              - {item_yaml}
        """
    )


def clean(questionnaire, raw, require=False):
    return clean_answers(questionnaire, raw, today=TODAY, require=require)


def cleaned_value(item_yaml: str, value):
    """Clean one answer to item `q`; return (value or None, error or None)."""
    result = clean(one_item(item_yaml), {"q": value})
    return result.answers.get("q"), result.errors.get("q")


# --- yes_no -----------------------------------------------------------------------------------

YES_NO = "{id: q, type: yes_no, text: Q}"
YES_NO_NOT_SURE = "{id: q, type: yes_no, text: Q, not_sure: true}"


@pytest.mark.parametrize(
    "value, expected",
    [("yes", "yes"), ("no", "no"), ("Yes", "yes"), (" no ", "no"), (True, "yes"), (False, "no")],
)
def test_yes_no_accepts_yes_no_and_booleans(value, expected):
    assert cleaned_value(YES_NO, value) == (expected, None)


def test_yes_no_accepts_not_sure_only_when_the_item_offers_it():
    assert cleaned_value(YES_NO_NOT_SURE, "not_sure") == ("not_sure", None)
    assert cleaned_value(YES_NO, "not_sure") == (None, "Choose Yes or No.")


@pytest.mark.parametrize("value", ["maybe", 1, 0, ["yes"], {"yes": True}])
def test_yes_no_refuses_other_values_with_the_choices_in_the_message(value):
    assert cleaned_value(YES_NO, value) == (None, "Choose Yes or No.")
    assert cleaned_value(YES_NO_NOT_SURE, value) == (None, "Choose Yes, No or Not sure.")


# --- single_choice ----------------------------------------------------------------------------

SINGLE = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - id: tobacco
            type: single_choice
            text: Do you use tobacco?
            options:
              - {value: never, label: Never}
              - {value: current, label: "Yes, now"}
              - {value: other, label: Other, other: true}
    """
)


def test_single_choice_keeps_a_valid_option():
    result = clean(SINGLE, {"tobacco": "never"})
    assert result.answers == {"tobacco": "never"}
    assert result.errors == {}


@pytest.mark.parametrize("value", ["sometimes", "Never", ["never"], 1, True])
def test_single_choice_refuses_a_value_that_is_not_an_option(value):
    result = clean(SINGLE, {"tobacco": value})
    assert result.answers == {}
    assert result.errors == {"tobacco": "Choose one of the answers shown."}


def test_single_choice_other_keeps_its_text_under_the_other_key():
    result = clean(SINGLE, {"tobacco": "other", "tobacco.other": "  Snus  "})
    assert result.answers == {"tobacco": "other", "tobacco.other": "Snus"}
    assert result.errors == {}


def test_other_text_is_dropped_when_other_is_not_chosen():
    result = clean(SINGLE, {"tobacco": "never", "tobacco.other": "Snus"})
    assert result.answers == {"tobacco": "never"}
    assert result.errors == {}


def test_other_text_too_long_is_refused_on_the_other_key():
    result = clean(SINGLE, {"tobacco": "other", "tobacco.other": "x" * 201})
    assert result.answers == {"tobacco": "other"}
    assert result.errors == {"tobacco.other": "Keep this to 200 characters or fewer (now 201)."}


def test_other_text_of_only_invisible_characters_is_not_stored():
    result = clean(SINGLE, {"tobacco": "other", "tobacco.other": " \x00\u200b "})
    assert result.answers == {"tobacco": "other"}
    assert result.errors == {}


# --- multi_choice -----------------------------------------------------------------------------

MULTI = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - id: areas
            type: multi_choice
            text: Where?
            options:
              - {value: calf, label: Calf}
              - {value: thigh, label: Thigh}
              - {value: back, label: Back}
              - {value: other, label: Other, other: true}
              - {value: none, label: None of these, exclusive: true}
    """
)


def test_multi_choice_keeps_the_choices_in_definition_order():
    result = clean(MULTI, {"areas": ["back", "calf"]})
    assert result.answers == {"areas": ["calf", "back"]}
    assert result.errors == {}


def test_multi_choice_accepts_a_single_string_as_one_choice():
    assert clean(MULTI, {"areas": "thigh"}).answers == {"areas": ["thigh"]}


def test_multi_choice_collapses_duplicates():
    assert clean(MULTI, {"areas": ["calf", "calf", "thigh"]}).answers == {
        "areas": ["calf", "thigh"]
    }


@pytest.mark.parametrize("value", [["calf", "shin"], ["calf", 1], [["calf"]], 3, {"calf": 1}])
def test_multi_choice_refuses_values_that_are_not_options(value):
    result = clean(MULTI, {"areas": value})
    assert result.answers == {}
    assert result.errors == {"areas": "Choose from the answers shown."}


def test_exclusive_option_with_another_is_refused_naming_the_option():
    result = clean(MULTI, {"areas": ["calf", "none"]})
    assert result.answers == {}
    assert result.errors == {
        "areas": "“None of these” cannot be chosen together with other answers."
    }


def test_exclusive_option_alone_is_kept_even_when_repeated():
    assert clean(MULTI, {"areas": ["none", "none"]}).answers == {"areas": ["none"]}


def test_multi_choice_other_keeps_its_text():
    result = clean(MULTI, {"areas": ["other", "calf"], "areas.other": "Jaw"})
    assert result.answers == {"areas": ["calf", "other"], "areas.other": "Jaw"}


# --- text and long_text -----------------------------------------------------------------------

TEXT = "{id: q, type: text, text: Q, max_length: 10}"
LONG_TEXT = "{id: q, type: long_text, text: Q, max_length: 40}"


def test_text_is_stripped():
    assert cleaned_value(TEXT, "  Fusion \t") == ("Fusion", None)


@pytest.mark.parametrize("spec", [TEXT, LONG_TEXT])
def test_control_characters_including_nul_are_removed(spec):
    value, error = cleaned_value(spec, "a\x00b\x07c\x1b")
    assert error is None
    assert value == "a b c"


def test_text_of_only_control_characters_counts_as_no_answer():
    questionnaire = one_item("{id: q, type: text, text: Q, required: true}")
    result = clean(questionnaire, {"q": "\x00\x00"}, require=True)
    assert result.answers == {}
    assert result.errors == {"q": MSG_REQUIRED}


def test_newlines_are_removed_from_short_text():
    assert cleaned_value(TEXT, "L4\r\nL5\nS1") == ("L4 L5 S1", None)


def test_newlines_and_tabs_are_kept_in_long_text():
    assert cleaned_value(LONG_TEXT, "MRI: fine\r\nEMG:\tfine\rX-ray\n") == (
        "MRI: fine\nEMG:\tfine\nX-ray",
        None,
    )


def test_text_over_max_length_is_refused_with_the_count():
    assert cleaned_value(TEXT, "abcdefghijk") == (
        None,
        "Keep this to 10 characters or fewer (now 11).",
    )
    assert cleaned_value(TEXT, "abcdefghij") == ("abcdefghij", None)


@pytest.mark.parametrize("value", [12, 1.5, True, ["a"], {"a": "b"}])
def test_text_refuses_a_value_that_is_not_a_string(value):
    assert cleaned_value(TEXT, value) == (None, "Enter text.")


# --- integer ----------------------------------------------------------------------------------

NIGHTS = "{id: q, type: integer, text: Q, min: 0, max: 7}"


@pytest.mark.parametrize("value", ["7", 7, 7.0, " 7 ", "+7", "07"])
def test_integer_accepts_whole_numbers_as_text_int_or_float(value):
    number, error = cleaned_value(NIGHTS, value)
    assert (number, error) == (7, None)
    assert type(number) is int


@pytest.mark.parametrize("value", ["7.5", 7.5, "seven", "7 nights", "7.0", True, False, [7]])
def test_integer_refuses_a_value_that_is_not_a_whole_number(value):
    assert cleaned_value(NIGHTS, value) == (None, "Enter a whole number from 0 to 7.")


@pytest.mark.parametrize(
    "spec, value, message",
    [
        (NIGHTS, 8, "Enter a whole number from 0 to 7."),
        (NIGHTS, -1, "Enter a whole number from 0 to 7."),
        ("{id: q, type: integer, text: Q, min: 1}", 0, "Enter a whole number of 1 or more."),
        ("{id: q, type: integer, text: Q, max: 30}", 31, "Enter a whole number of 30 or less."),
        (
            "{id: q, type: integer, text: Q, min: 0, max: 7, unit: nights a week}",
            9,
            "Enter a whole number from 0 to 7 nights a week.",
        ),
        (
            "{id: q, type: integer, text: Q, min: 0, unit: drinks a day}",
            -2,
            "Enter a whole number of 0 drinks a day or more.",
        ),
        ("{id: q, type: integer, text: Q}", "many", "Enter a whole number."),
    ],
)
def test_number_outside_the_range_is_refused_with_a_range_message(spec, value, message):
    assert cleaned_value(spec, value) == (None, message)


def test_integer_bounds_are_inclusive():
    assert cleaned_value(NIGHTS, 0) == (0, None)
    assert cleaned_value(NIGHTS, "7") == (7, None)


@pytest.mark.parametrize(
    "value", [10**9 + 1, "1000000001", pytest.param(10**400, id="10**400"), 1e300, "9" * 40]
)
def test_integer_refuses_huge_numbers(value):
    assert cleaned_value("{id: q, type: integer, text: Q}", value) == (
        None,
        "Enter a whole number.",
    )


# --- decimal ----------------------------------------------------------------------------------

WEIGHT = "{id: q, type: decimal, text: Q}"


@pytest.mark.parametrize("value", ["72.5", "72,5", 72.5, " 72.50 "])
def test_decimal_accepts_a_point_or_a_comma(value):
    number, error = cleaned_value(WEIGHT, value)
    assert (number, error) == (72.5, None)
    assert type(number) is float


def test_decimal_whole_number_is_stored_as_a_float():
    assert cleaned_value(WEIGHT, 72) == (72.0, None)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "1e999",
        "sNaN",
        pytest.param(10**400, id="10**400"),
        "72.5 kg",
        True,
    ],
)
def test_decimal_refuses_what_is_not_a_finite_number(value):
    assert cleaned_value(WEIGHT, value) == (None, "Enter a number.")


def test_decimal_outside_the_range_names_the_range_and_unit():
    spec = "{id: q, type: decimal, text: Q, min: 30, max: 250.5, unit: kg}"
    assert cleaned_value(spec, "251") == (None, "Enter a number from 30 to 250.5 kg.")


# --- scale ------------------------------------------------------------------------------------

SCALE = "{id: q, type: scale, text: Q, min_label: None, max_label: Worst}"


@pytest.mark.parametrize("value", [0, 5, 10, "10"])
def test_scale_accepts_a_number_in_range(value):
    assert cleaned_value(SCALE, value) == (int(value), None)


@pytest.mark.parametrize("value", [-1, 11, "11", 5.5, "high", True])
def test_scale_out_of_range_is_refused(value):
    assert cleaned_value(SCALE, value) == (None, "Choose a number from 0 to 10.")


def test_scale_message_uses_the_item_range():
    spec = "{id: q, type: scale, text: Q, min: 1, max: 5, min_label: A, max_label: B}"
    assert cleaned_value(spec, 0) == (None, "Choose a number from 1 to 5.")


# --- date -------------------------------------------------------------------------------------

DATE = "{id: q, type: date, text: Q}"
DATE_FUTURE = "{id: q, type: date, text: Q, allow_future: true}"
BAD_DATE = "Enter a real date, for example 2019-03-27."


def test_date_keeps_a_valid_iso_date():
    assert cleaned_value(DATE, "2019-03-27") == ("2019-03-27", None)
    assert cleaned_value(DATE, "2026-11-21") == ("2026-11-21", None)


@pytest.mark.parametrize(
    "value", ["2025-02-30", "2019-13-01", "27/03/2019", "2019-3-27", "1899-12-31", 20190327]
)
def test_date_refuses_impossible_or_badly_written_dates(value):
    assert cleaned_value(DATE, value) == (None, BAD_DATE)


def test_date_in_the_future_is_refused_unless_allowed():
    message = "This date is in the future. Enter a date up to today."
    assert cleaned_value(DATE, "2026-11-22") == (None, message)
    assert cleaned_value(DATE_FUTURE, "2027-01-15") == ("2027-01-15", None)


# --- month_year -------------------------------------------------------------------------------

MONTH = "{id: q, type: month_year, text: Q}"
MONTH_FUTURE = "{id: q, type: month_year, text: Q, allow_future: true}"
BAD_MONTH = "Enter a month and year, for example 2019-03, or just the year."
FUTURE_MONTH = "This is in the future. Enter a month and year up to now."


@pytest.mark.parametrize(
    "value, expected",
    [("2019-03", "2019-03"), ("2019-3", "2019-03"), ("2019", "2019"), ("2026-11", "2026-11")],
)
def test_month_year_keeps_month_and_year_or_year_alone(value, expected):
    assert cleaned_value(MONTH, value) == (expected, None)


@pytest.mark.parametrize("value", ["2019-13", "2019-00", "1899-12", "1899", "03-2019", 2019])
def test_month_year_refuses_a_bad_month_or_year(value):
    assert cleaned_value(MONTH, value) == (None, BAD_MONTH)


@pytest.mark.parametrize("value", ["2026-12", "2027", "2027-01"])
def test_month_year_in_the_future_is_refused_unless_allowed(value):
    assert cleaned_value(MONTH, value) == (None, FUTURE_MONTH)
    assert cleaned_value(MONTH_FUTURE, value) == (value, None)


def test_month_year_this_year_alone_is_accepted():
    assert cleaned_value(MONTH, "2026") == ("2026", None)


# --- no answer ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [YES_NO, TEXT, NIGHTS, WEIGHT, SCALE, DATE, MONTH])
@pytest.mark.parametrize("value", [None, "", "   ", [], {}])
def test_an_empty_value_is_no_answer_and_no_error(spec, value):
    assert cleaned_value(spec, value) == (None, None)


# --- required ---------------------------------------------------------------------------------

REQUIRED = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - {id: areas, type: text, text: "Where?", required: true}
          - {id: know_start, type: yes_no, text: "Do you know when?", required: true}
          - id: started
            type: month_year
            text: When?
            required: true
            show_if: {item: know_start, equals: "yes"}
      - id: second
        title: Second
        items:
          - {id: bother, type: scale, text: "How much?", required: true, min_label: A, max_label: B}
    """
)


def test_required_items_are_not_reported_when_not_requiring():
    result = clean(REQUIRED, {})
    assert result.errors == {}
    assert result.missing == ()


def test_required_items_are_reported_and_listed_as_missing_when_requiring():
    result = clean(REQUIRED, {"areas": "  "}, require=True)
    assert result.errors == {  # what the patient reads beside each question
        "areas": "Please answer this question.",
        "know_start": "Please answer this question.",
        "bother": "Please answer this question.",
    }
    assert result.missing == ("areas", "know_start", "bother")


def test_required_can_be_limited_to_some_sections():
    result = clean(REQUIRED, {}, require={"second"})
    assert result.errors == {"bother": MSG_REQUIRED}
    assert result.missing == ("bother",)


def test_required_item_hidden_by_show_if_is_not_required():
    result = clean(REQUIRED, {"areas": "Calf", "know_start": "no", "bother": 3}, require=True)
    assert result.errors == {}
    assert result.missing == ()


def test_required_item_shown_by_show_if_is_required():
    result = clean(REQUIRED, {"areas": "Calf", "know_start": "yes", "bother": 3}, require=True)
    assert result.errors == {"started": MSG_REQUIRED}
    assert result.missing == ("started",)


def test_a_refused_required_answer_is_an_error_but_not_missing():
    result = clean(REQUIRED, {"areas": "Calf", "know_start": "yes", "bother": 11}, require=True)
    assert result.errors == {"started": MSG_REQUIRED, "bother": "Choose a number from 0 to 10."}
    assert result.missing == ("started",)


# --- show_if ----------------------------------------------------------------------------------


def with_condition(condition: str) -> Questionnaire:
    """Return a questionnaire whose `note` item has this `show_if`, after three triggers."""
    return make(
        f"""\
        sections:
          - id: first
            title: First
            items:
              - id: choice
                type: single_choice
                text: Choice
                options:
                  - {{value: a, label: A}}
                  - {{value: b, label: B}}
                  - {{value: c, label: C}}
              - id: areas
                type: multi_choice
                text: Areas
                options:
                  - {{value: calf, label: Calf}}
                  - {{value: thigh, label: Thigh}}
              - {{id: pain, type: integer, text: Pain, min: 0, max: 10}}
              - id: note
                type: text
                text: Note
                show_if: {condition}
        """
    )


SHOW_IF_CASES = [
    ("{item: choice, equals: a}", {"choice": "a"}, True),
    ("{item: choice, equals: a}", {"choice": "b"}, False),
    ("{item: choice, equals: a}", {}, False),
    ("{item: choice, in: [a, b]}", {"choice": "b"}, True),
    ("{item: choice, in: [a, b]}", {"choice": "c"}, False),
    ("{item: choice, in: [a, b]}", {}, False),
    ("{item: areas, includes: calf}", {"areas": ["thigh", "calf"]}, True),
    ("{item: areas, includes: calf}", {"areas": ["thigh"]}, False),
    ("{item: areas, includes: calf}", {}, False),
    ("{item: choice, answered: true}", {"choice": "c"}, True),
    ("{item: choice, answered: true}", {}, False),
    ("{item: choice, answered: false}", {}, True),
    ("{item: choice, answered: false}", {"choice": "c"}, False),
    ("{item: pain, gt: 5}", {"pain": 6}, True),
    ("{item: pain, gt: 5}", {"pain": 5}, False),
    ("{item: pain, gt: 5}", {}, False),
    ("{item: pain, gte: 5}", {"pain": "5"}, True),
    ("{item: pain, gte: 5}", {"pain": 4}, False),
    ("{item: pain, lt: 5}", {"pain": 4}, True),
    ("{item: pain, lt: 5}", {"pain": 5}, False),
    ("{item: pain, lt: 5}", {}, False),
    ("{item: pain, lte: 5}", {"pain": 5}, True),
    ("{item: pain, lte: 5}", {"pain": 6}, False),
    ("{all: [{item: choice, equals: a}, {item: pain, gt: 5}]}", {"choice": "a", "pain": 6}, True),
    ("{all: [{item: choice, equals: a}, {item: pain, gt: 5}]}", {"choice": "a", "pain": 2}, False),
    ("{any: [{item: choice, equals: a}, {item: pain, gt: 5}]}", {"choice": "b", "pain": 6}, True),
    ("{any: [{item: choice, equals: a}, {item: pain, gt: 5}]}", {"choice": "b", "pain": 2}, False),
]


@pytest.mark.parametrize("condition, answers, shown", SHOW_IF_CASES)
def test_show_if_operators_decide_whether_an_answer_is_kept(condition, answers, shown):
    result = clean(with_condition(condition), {**answers, "note": "Hello"})
    assert ("note" in result.answers) is shown
    assert result.errors == {}


def test_condition_on_a_refused_answer_is_false():
    result = clean(with_condition("{item: pain, gt: 5}"), {"pain": 11, "note": "Hello"})
    assert result.answers == {}
    assert result.errors == {"pain": "Enter a whole number from 0 to 10."}


def test_answer_to_a_hidden_item_is_dropped_even_when_invalid():
    result = clean(with_condition("{item: choice, equals: a}"), {"choice": "b", "note": 12})
    assert result.answers == {"choice": "b"}
    assert result.errors == {}


CHAIN = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - {id: a, type: yes_no, text: A}
          - {id: b, type: yes_no, text: B, show_if: {item: a, equals: "yes"}}
          - {id: c, type: text, text: C, required: true, show_if: {item: b, equals: "yes"}}
    """
)


def test_item_depending_on_a_hidden_item_is_hidden_too():
    result = clean(CHAIN, {"a": "no", "b": "yes", "c": "Details"}, require=True)
    assert result.answers == {"a": "no"}
    assert result.errors == {}


def test_item_depending_on_a_shown_item_is_shown():
    result = clean(CHAIN, {"a": "yes", "b": "yes", "c": "Details"})
    assert result.answers == {"a": "yes", "b": "yes", "c": "Details"}


SECTION_SHOW_IF = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - {id: had_surgery, type: yes_no, text: "Surgery?"}
      - id: details
        title: Details
        show_if: {item: had_surgery, equals: "yes"}
        items:
          - {id: kind, type: text, text: Kind, required: true}
          - {id: when, type: month_year, text: When}
    """
)


def test_section_show_if_hides_every_item_of_the_section():
    raw = {"had_surgery": "no", "kind": "Fusion", "when": "2019-13"}
    result = clean(SECTION_SHOW_IF, raw, require=True)
    assert result.answers == {"had_surgery": "no"}
    assert result.errors == {}
    assert result.missing == ()


def test_section_show_if_keeps_the_items_when_shown():
    raw = {"had_surgery": "yes", "kind": "Fusion", "when": "2019-3"}
    assert clean(SECTION_SHOW_IF, raw).answers == {
        "had_surgery": "yes",
        "kind": "Fusion",
        "when": "2019-03",
    }


# --- repeating groups -------------------------------------------------------------------------

SURGERIES = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - {id: spine_patient, type: yes_no, text: "Is this about your spine?"}
          - id: surgeries
            type: group
            text: Surgeries
            repeats: true
            max_items: 4
            entry_label: Surgery
            items:
              - id: kind
                type: single_choice
                text: What?
                required: true
                options:
                  - {value: fusion, label: Fusion}
                  - {value: knee, label: Knee}
                  - {value: other, label: Other, other: true}
              - {id: when, type: month_year, text: "When?"}
              - {id: had_problems, type: yes_no, text: "Problems?"}
              - id: problems
                type: text
                text: Which problems?
                show_if: {item: had_problems, equals: "yes"}
              - id: levels
                type: text
                text: Levels
                show_if: {item: spine_patient, equals: "yes"}
          - {id: after, type: text, text: "Anything else?"}
    """
)
ROW_ID = re.compile(r"^[a-z0-9]{6,32}$")


def without_ids(rows):
    return [{key: value for key, value in row.items() if key != "_id"} for row in rows]


def test_every_row_and_every_entry_reaches_the_answers_in_order():
    rows = [
        {"kind": "fusion", "when": "2013", "had_problems": "no"},
        {"kind": "knee", "when": "2019-3"},
        {"kind": "other", "kind.other": "Appendix", "had_problems": "yes", "problems": "Pain"},
        {"kind": "knee", "when": "2021-07", "had_problems": False},
    ]
    result = clean(SURGERIES, {"surgeries": rows})
    assert result.errors == {}
    assert without_ids(result.answers["surgeries"]) == [
        {"kind": "fusion", "when": "2013", "had_problems": "no"},
        {"kind": "knee", "when": "2019-03"},
        {"kind": "other", "kind.other": "Appendix", "had_problems": "yes", "problems": "Pain"},
        {"kind": "knee", "when": "2021-07", "had_problems": "no"},
    ]


def test_each_row_gets_a_stable_id_kept_when_cleaned_again():
    first = clean(
        SURGERIES, {"surgeries": [{"kind": "knee"}, {"kind": "fusion"}, {"when": "2000"}]}
    )
    ids = [row["_id"] for row in first.answers["surgeries"]]
    assert all(ROW_ID.match(row_id) for row_id in ids)
    assert len(set(ids)) == 3
    again = clean(SURGERIES, first.answers)
    assert [row["_id"] for row in again.answers["surgeries"]] == ids
    assert again.answers == first.answers


def test_a_valid_row_id_sent_by_the_client_is_kept():
    result = clean(SURGERIES, {"surgeries": [{"_id": "abc123", "kind": "knee"}]})
    assert result.answers["surgeries"] == [{"_id": "abc123", "kind": "knee"}]


@pytest.mark.parametrize("bad_id", ["AB-12!", "abc", 123456, None, "x" * 33])
def test_an_invalid_row_id_is_replaced(bad_id):
    result = clean(SURGERIES, {"surgeries": [{"_id": bad_id, "kind": "knee"}]})
    row_id = result.answers["surgeries"][0]["_id"]
    assert row_id != bad_id
    assert ROW_ID.match(row_id)
    assert result.errors == {}


def test_a_duplicate_row_id_is_replaced_in_the_later_row():
    rows = [{"_id": "abc123", "kind": "knee"}, {"_id": "abc123", "kind": "fusion"}]
    result = clean(SURGERIES, {"surgeries": rows})
    first, second = result.answers["surgeries"]
    assert first == {"_id": "abc123", "kind": "knee"}
    assert second["_id"] != "abc123"
    assert ROW_ID.match(second["_id"])
    assert second["kind"] == "fusion"


def test_empty_rows_are_dropped():
    rows = [{}, {"kind": "knee"}, {"_id": "abc123"}, {"kind": "", "when": "  "}]
    result = clean(SURGERIES, {"surgeries": rows})
    assert without_ids(result.answers["surgeries"]) == [{"kind": "knee"}]
    assert result.errors == {}


def test_only_empty_rows_leave_no_answer():
    result = clean(SURGERIES, {"surgeries": [{}, {"kind": None}]})
    assert "surgeries" not in result.answers
    assert result.errors == {}


def test_row_errors_are_keyed_by_group_index_as_sent_and_item():
    rows = [{}, {"kind": "heart", "when": "2019-02"}, {"kind": "knee", "when": "2030"}]
    result = clean(SURGERIES, {"surgeries": rows})
    assert result.errors == {
        "surgeries[1].kind": "Choose one of the answers shown.",
        "surgeries[2].when": FUTURE_MONTH,
    }
    assert without_ids(result.answers["surgeries"]) == [{"when": "2019-02"}, {"kind": "knee"}]


def test_required_item_in_a_row_is_reported_with_the_row_index():
    result = clean(SURGERIES, {"surgeries": [{"kind": "knee"}, {"when": "2019"}]}, require=True)
    assert result.errors == {"surgeries[1].kind": MSG_REQUIRED}
    assert result.missing == ("surgeries[1].kind",)


def test_unknown_key_in_a_row_is_refused():
    result = clean(SURGERIES, {"surgeries": [{"kind": "knee", "colour": "red"}]})
    assert result.errors == {"surgeries[0].colour": MSG_UNKNOWN}
    assert without_ids(result.answers["surgeries"]) == [{"kind": "knee"}]


def test_too_many_rows_are_refused_with_a_plain_english_message():
    rows = [{"kind": "knee"}] * 5
    result = clean(SURGERIES, {"surgeries": rows})
    assert result.errors == {"surgeries": "You can add up to 4 entries."}
    assert "surgeries" not in result.answers


@pytest.mark.parametrize("value", ["knee", {"kind": "knee"}, 3, True])
def test_a_group_value_that_is_not_a_list_is_refused(value):
    result = clean(SURGERIES, {"surgeries": value})
    assert result.errors == {"surgeries": "Expected a list of entries."}
    assert result.answers == {}


def test_a_row_that_is_not_an_object_is_refused():
    result = clean(SURGERIES, {"surgeries": ["knee", {"kind": "knee"}]})
    assert result.errors == {"surgeries[0]": "Expected an entry with answers."}
    assert without_ids(result.answers["surgeries"]) == [{"kind": "knee"}]


def test_row_show_if_uses_an_earlier_item_of_the_same_row():
    rows = [
        {"kind": "knee", "had_problems": "yes", "problems": "Swelling"},
        {"kind": "knee", "had_problems": "no", "problems": "Swelling"},
        {"kind": "knee", "problems": "Swelling"},
    ]
    result = clean(SURGERIES, {"surgeries": rows})
    assert without_ids(result.answers["surgeries"]) == [
        {"kind": "knee", "had_problems": "yes", "problems": "Swelling"},
        {"kind": "knee", "had_problems": "no"},
        {"kind": "knee"},
    ]
    assert result.errors == {}


def test_row_show_if_uses_an_item_outside_the_group():
    rows = [{"kind": "fusion", "levels": "L4-L5"}]
    shown = clean(SURGERIES, {"spine_patient": "yes", "surgeries": rows})
    hidden = clean(SURGERIES, {"spine_patient": "no", "surgeries": rows})
    assert without_ids(shown.answers["surgeries"]) == [{"kind": "fusion", "levels": "L4-L5"}]
    assert without_ids(hidden.answers["surgeries"]) == [{"kind": "fusion"}]
    assert hidden.errors == {}


def test_items_of_a_repeating_group_are_not_top_level_answers():
    result = clean(SURGERIES, {"kind": "knee"})
    assert result.answers == {}
    assert result.errors == {"kind": MSG_UNKNOWN}


BOUNDED = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - id: medicines
            type: group
            text: Medicines
            repeats: true
            required: true
            entry_label: Medicine
            items:
              - {id: name, type: text, text: Name}
          - id: allergies
            type: group
            text: Allergies
            repeats: true
            min_items: 2
            entry_label: Allergy
            items:
              - {id: substance, type: text, text: Substance}
    """
)


def test_required_group_without_entries_is_reported_when_requiring():
    result = clean(BOUNDED, {"allergies": [{"substance": "A"}, {"substance": "B"}]}, require=True)
    assert result.errors == {"medicines": "Add at least 1 medicine."}
    assert result.missing == ("medicines",)


def test_min_items_is_reported_with_a_plain_english_plural():
    raw = {"medicines": [{"name": "Ibuprofen"}], "allergies": [{"substance": "Latex"}, {}]}
    result = clean(BOUNDED, raw, require=True)
    assert result.errors == {"allergies": "Add at least 2 entries."}
    assert result.missing == ("allergies",)


def test_group_bounds_are_not_reported_when_not_requiring():
    result = clean(BOUNDED, {"allergies": [{"substance": "Latex"}]})
    assert result.errors == {}
    assert result.missing == ()


# --- non-repeating group ----------------------------------------------------------------------

PLAIN_GROUP = make(
    """\
    sections:
      - id: first
        title: First
        items:
          - {id: smoker, type: yes_no, text: "Do you smoke?"}
          - id: smoking
            type: group
            text: About smoking
            show_if: {item: smoker, equals: "yes"}
            items:
              - {id: per_day, type: integer, text: "How many a day?", min: 0, max: 100}
              - {id: since, type: month_year, text: "Since when?"}
              - {id: quit_note, type: text, text: Note, show_if: {item: per_day, equals: 0}}
    """
)


def test_children_of_a_plain_group_are_stored_at_top_level():
    raw = {"smoker": "yes", "per_day": "0", "since": "2001", "quit_note": "Stopped in May"}
    result = clean(PLAIN_GROUP, raw)
    assert result.answers == {
        "smoker": "yes",
        "per_day": 0,
        "since": "2001",
        "quit_note": "Stopped in May",
    }
    assert result.errors == {}


def test_plain_group_show_if_hides_its_children():
    result = clean(PLAIN_GROUP, {"smoker": "no", "per_day": 10, "since": "2001"})
    assert result.answers == {"smoker": "no"}
    assert result.errors == {}


def test_answers_nested_under_a_plain_group_id_are_refused_not_silently_dropped():
    result = clean(PLAIN_GROUP, {"smoker": "yes", "smoking": {"per_day": 10}})
    assert result.answers == {"smoker": "yes"}
    assert result.errors == {"smoking": MSG_UNKNOWN}


# --- unknown keys and bad input ---------------------------------------------------------------


def test_unknown_keys_are_refused():
    result = clean(SINGLE, {"tobacco": "never", "colour": "red", "": 1, 7: "x"})
    assert result.answers == {"tobacco": "never"}
    unknown = "This question is not part of this form."  # what an API client is told
    assert result.errors == {"colour": unknown, "": unknown, "7": unknown}


def test_other_key_of_an_item_without_an_other_option_is_unknown():
    result = clean(MULTI, {"areas": ["calf"], "areas.note": "x"})
    assert result.errors == {"areas.note": MSG_UNKNOWN}
    result = clean(one_item(YES_NO), {"q": "yes", "q.other": "x"})
    assert result.errors == {"q.other": MSG_UNKNOWN}


@pytest.mark.parametrize("raw", [None, [], ["tobacco"], "tobacco=never", 3])
def test_answers_that_are_not_an_object_give_one_form_level_error(raw):
    result = clean(SINGLE, raw)
    assert result.answers == {}
    assert result.errors == {"__all__": "Answers must be an object keyed by question id."}
    assert not result.is_valid


# --- idempotence ------------------------------------------------------------------------------

FULL = make(
    """\
    id: full
    title: Full example
    sections:
      - id: where
        title: Where and since when
        items:
          - id: areas
            type: multi_choice
            text: Where do your muscles twitch?
            required: true
            options:
              - {value: left_calf, label: Left calf}
              - {value: right_calf, label: Right calf}
              - {value: other, label: Other, other: true}
              - {value: none, label: Nowhere, exclusive: true}
          - id: worse_side
            type: single_choice
            text: Which calf is worse?
            show_if:
              all:
                - {item: areas, includes: left_calf}
                - {item: areas, includes: right_calf}
            options:
              - {value: left, label: Left}
              - {value: right, label: Right}
          - {id: know_start, type: yes_no, text: "Do you know when it started?", not_sure: true}
          - id: started
            type: month_year
            text: When?
            show_if: {item: know_start, equals: "yes"}
          - {id: seen_on, type: date, text: First seen by a doctor}
      - id: pattern
        title: Pattern
        items:
          - {id: bother, type: scale, text: Bother, min_label: Not at all, max_label: Worst}
          - id: nights
            type: integer
            text: Nights with cramps
            min: 0
            max: 7
            unit: nights a week
            show_if: {item: bother, gte: 3}
          - {id: weight, type: decimal, text: Weight, min: 20, max: 300, unit: kg}
          - {id: notes, type: long_text, text: Notes}
      - id: care
        title: Care
        show_if: {item: know_start, answered: true}
        items:
          - {id: tried_anything, type: yes_no, text: "Tried anything?"}
          - id: things_tried
            type: group
            text: What have you tried?
            show_if: {item: tried_anything, equals: "yes"}
            repeats: true
            max_items: 5
            entry_label: Thing tried
            items:
              - id: tried_what
                type: single_choice
                text: What?
                required: true
                options:
                  - {value: stretching, label: Stretching}
                  - {value: medicine, label: Medicine}
                  - {value: other, label: Other, other: true}
              - id: medicine_name
                type: text
                text: Which medicine?
                show_if: {item: tried_what, equals: medicine}
              - {id: tried_when, type: month_year, text: "When?"}
              - {id: tried_helped, type: yes_no, text: "Did it help?", not_sure: true}
          - id: contact
            type: group
            text: Your doctor
            items:
              - {id: doctor_name, type: text, text: Name}
              - {id: doctor_seen, type: date, text: Last seen}
    """
)

FULL_RAW = {
    "areas": ["right_calf", "other", "left_calf"],
    "areas.other": "  Left eyelid\n",
    "worse_side": "left",
    "know_start": True,
    "started": "2024-6",
    "seen_on": "2025-01-09",
    "bother": "6",
    "nights": 4.0,
    "weight": "81,4",
    "notes": "Worse after coffee.\r\nBetter with stretching.\x00",
    "tried_anything": "yes",
    "things_tried": [
        {"tried_what": "stretching", "tried_when": "2025", "tried_helped": "no"},
        {},
        {"tried_what": "medicine", "medicine_name": " Magnesium ", "tried_helped": "not_sure"},
        {"_id": "keepme01", "tried_what": "other", "tried_what.other": "Massage gun"},
    ],
    "doctor_name": "Dr Example",
    "doctor_seen": "2026-11-02",
}


def test_realistic_answers_are_cleaned_as_expected():
    result = clean(FULL, FULL_RAW)
    assert result.errors == {}
    answers = dict(result.answers)
    rows = answers.pop("things_tried")
    assert answers == {
        "areas": ["left_calf", "right_calf", "other"],
        "areas.other": "Left eyelid",
        "worse_side": "left",
        "know_start": "yes",
        "started": "2024-06",
        "seen_on": "2025-01-09",
        "bother": 6,
        "nights": 4,
        "weight": 81.4,
        "notes": "Worse after coffee.\nBetter with stretching.",
        "tried_anything": "yes",
        "doctor_name": "Dr Example",
        "doctor_seen": "2026-11-02",
    }
    assert without_ids(rows) == [
        {"tried_what": "stretching", "tried_when": "2025", "tried_helped": "no"},
        {"tried_what": "medicine", "medicine_name": "Magnesium", "tried_helped": "not_sure"},
        {"tried_what": "other", "tried_what.other": "Massage gun"},
    ]
    assert rows[2]["_id"] == "keepme01"


@pytest.mark.parametrize("require", [False, True])
def test_cleaning_cleaned_answers_returns_them_unchanged(require):
    first = clean(FULL, FULL_RAW)
    second = clean(FULL, first.answers, require=require)
    assert second.answers == first.answers
    assert second.errors == {}
    assert second.missing == ()


def test_joiners_in_emoji_and_scripts_are_kept_but_direction_overrides_are_not():
    family = "\U0001f469\u200d\U0001f467"  # woman + zero-width joiner + girl
    hindi = "\u0915\u094d\u200d\u0937"  # a conjunct shown with a zero-width joiner
    result = clean(SINGLE, {"tobacco": "other", "tobacco.other": f"{family} {hindi} a\u202eb"})
    assert result.answers["tobacco.other"] == f"{family} {hindi} a b"


def test_answers_in_an_entry_to_questions_not_asked_are_named_when_reported():
    rows = [{"kind": "knee", "had_problems": "no", "problems": "Swelling", "levels": "L5"}]
    result = clean_answers(
        SURGERIES, {"spine_patient": "no", "surgeries": rows}, today=TODAY, report_unasked=True
    )
    assert without_ids(result.answers["surgeries"]) == [{"kind": "knee", "had_problems": "no"}]
    assert sorted(result.unasked) == ["surgeries[0].levels", "surgeries[0].problems"]
    assert "if you answered “Yes” to “Problems?”" in result.unasked["surgeries[0].problems"]
    assert not result.is_valid and result.errors == {}


def test_other_text_without_other_is_named_when_reported_even_with_no_choice():
    chosen = clean_answers(
        SINGLE, {"tobacco": "never", "tobacco.other": "Snus"}, today=TODAY, report_unasked=True
    )
    unchosen = clean_answers(SINGLE, {"tobacco.other": "Snus"}, today=TODAY, report_unasked=True)
    for result in (chosen, unchosen):
        assert "tobacco.other" not in result.answers
        assert list(result.unasked) == ["tobacco.other"]


def test_an_empty_entry_or_blank_text_under_a_hidden_question_is_not_reported():
    rows = [{"_id": "abcdef12", "levels": "  "}]
    result = clean_answers(
        SURGERIES, {"spine_patient": "no", "surgeries": rows}, today=TODAY, report_unasked=True
    )
    assert result.unasked == {}
