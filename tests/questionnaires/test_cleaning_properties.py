"""Answer cleaning over the shipped questionnaires, with generated answers (hypothesis)."""

import functools
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX, ROW_ID_KEY, clean_answers
from intake.questionnaires.conditions import is_answered, is_shown
from intake.questionnaires.loader import load_file, load_text
from intake.questionnaires.schema import NO_ANSWER_TYPES, GroupItem, Questionnaire

TODAY = date(2026, 11, 21)
DEFS = Path(__file__).resolve().parents[2] / "questionnaire_defs"
SLUGS = ("twitch_history", "back_injury", "surgeries", "medications", "health_background")
# The shipped files have no decimal or date item; this inline one has every answer type.
EVERY_TYPE = """\
id: every_type
title: Every answer type
sections:
  - id: first
    title: First
    items:
      - {id: weight, type: decimal, text: Weight, min: 20, max: 300.5, unit: kg}
      - {id: temperature, type: decimal, text: Temperature}
      - {id: seen_on, type: date, text: Seen on}
      - {id: next_visit, type: date, text: Next visit, allow_future: true}
      - {id: count, type: integer, text: Count}
      - {id: planned, type: month_year, text: Planned, allow_future: true}
      - id: plain
        type: group
        text: A plain group
        show_if: {item: weight, gte: 50}
        items:
          - {id: note, type: long_text, text: Note, max_length: 30}
          - {id: level, type: scale, text: Level, min: 1, max: 5, min_label: Low, max_label: High}
  - id: second
    title: Second
    show_if: {item: count, lt: 10}
    items:
      - id: visits
        type: group
        text: Visits
        repeats: true
        min_items: 1
        max_items: 3
        items:
          - {id: visit_on, type: date, text: Date, required: true}
          - id: visit_weight
            type: decimal
            text: Weight
            show_if: {item: visit_on, answered: true}
"""
SHIPPED = [
    pytest.param(slug, id=slug)
    if (DEFS / f"{slug}.yaml").exists()
    else pytest.param(slug, id=slug, marks=pytest.mark.skip(reason=f"{slug}.yaml is missing"))
    for slug in SLUGS
] + [pytest.param("every_type", id="every_type")]

# How many examples: the Hypothesis profile's (tests/conftest.py; HYPOTHESIS_PROFILE=deep for more).
bounded = settings(
    deadline=None,
    derandomize=True,
    # The project's autouse settings fixture is harmless to share between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@functools.cache
def shipped(slug: str) -> Questionnaire:
    if slug == "every_type":
        return load_text(EVERY_TYPE).questionnaire
    return load_file(DEFS / f"{slug}.yaml").questionnaire


def clean(questionnaire, raw, require=False):
    return clean_answers(questionnaire, raw, today=TODAY, require=require)


# --- strategies -------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, 10**400, -(10**400)])  # JSON numbers have no limit
    | st.floats()
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _keys(item) -> list[str]:
    options = getattr(item, "options", None) or ()
    keys = [item.id, *([item.id + OTHER_SUFFIX] if any(o.other for o in options) else [])]
    return keys + ([item.id + DETAILS_SUFFIX] if getattr(item, "details", None) else [])


def answer_keys(questionnaire: Questionnaire) -> list[str]:
    """Return every key an answer may have at the top level."""
    keys: list[str] = []
    for _, group, item in questionnaire.iter_items():
        if item.type in NO_ANSWER_TYPES or (group is not None and group.repeats):
            continue
        if isinstance(item, GroupItem) and not item.repeats:
            continue
        keys += _keys(item)
    return keys


def row_keys(group: GroupItem) -> list[str]:
    return [
        ROW_ID_KEY,
        *(key for child in group.items if child.type != "display" for key in _keys(child)),
    ]


def arbitrary_under_real_ids(questionnaire: Questionnaire):
    """Arbitrary JSON under real item ids; groups also get lists of rows of arbitrary JSON."""
    values = {key: json_values for key in answer_keys(questionnaire)}
    for _, _, item in questionnaire.iter_items():
        if isinstance(item, GroupItem) and item.repeats:
            rows = st.lists(
                st.dictionaries(st.sampled_from(row_keys(item)), json_values, max_size=6),
                max_size=4,
            )
            values[item.id] = json_values | rows
    return st.fixed_dictionaries({}, optional=values) | st.dictionaries(
        st.sampled_from(sorted(values)) | st.text(max_size=12), json_values, max_size=8
    )


def _month_years():
    years = st.integers(1900, TODAY.year - 1)
    return st.one_of(
        years.map(str),
        st.tuples(years, st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]}"),
        st.tuples(years, st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
    )


def valid_value(item):
    """Return a strategy of answers a patient could really give to this item."""
    kind = item.type
    if kind == "yes_no":
        return st.sampled_from(["yes", "no", *(["not_sure"] if item.not_sure else [])]) | (
            st.booleans()
        )
    if kind == "single_choice":
        return st.sampled_from([option.value for option in item.options])
    if kind == "multi_choice":
        values = st.sampled_from([option.value for option in item.options])
        return values | st.lists(values, min_size=1, max_size=len(item.options))
    if kind in ("text", "long_text"):
        return st.text(max_size=item.max_length)
    if kind in ("integer", "scale"):
        low = item.min if item.min is not None else -(10**9)
        high = item.max if item.max is not None else 10**9
        numbers = st.integers(low, high)
        return numbers | numbers.map(str)
    if kind == "decimal":
        numbers = st.floats(item.min, item.max, allow_nan=False, allow_infinity=False)
        return numbers | numbers.map(lambda n: f"{n:.2f}".replace(".", ","))
    if kind == "date":
        return st.dates(date(1900, 1, 1), TODAY).map(date.isoformat)
    if kind == "month_year":
        return _month_years()
    raise AssertionError(f"no strategy for {kind}")


def invalid_value(item):
    """Return a strategy of answers this item should refuse (or that are not answers)."""
    if item.type in ("single_choice", "multi_choice"):
        return st.sampled_from(["not_an_option", "", ["not_an_option"]]) | json_scalars
    return json_values


def leaf_answers(item) -> dict:
    """Return strategies for this leaf item's keys: a valid value, an invalid one, or nothing."""
    answers = {item.id: valid_value(item) | invalid_value(item)}
    options = getattr(item, "options", None) or ()
    if any(option.other for option in options):
        answers[item.id + OTHER_SUFFIX] = st.text(max_size=220)
    if getattr(item, "details", None):
        answers[item.id + DETAILS_SUFFIX] = details_strategy(item)
    return answers


def details_strategy(item):
    """Follow-ups keyed by option value (some not chosen, some not options), some invalid."""
    optional = {}
    for detail in item.details:
        if detail.type != "display":
            optional.update(leaf_answers(detail))
    optional[ROW_ID_KEY] = st.sampled_from(["abc123", "zzz999", "BAD!", ""]) | st.text(max_size=8)
    values = st.sampled_from([option.value for option in item.options] + ["not_an_option"])
    entries = st.fixed_dictionaries({}, optional=optional)
    return st.dictionaries(values, entries, max_size=4) | json_scalars


def row_strategy(group: GroupItem):
    optional = {}
    for child in group.items:
        if child.type != "display":
            optional.update(leaf_answers(child))
    row_ids = st.sampled_from(["abc123", "zzz999", "BAD!", ""]) | st.text(max_size=8)
    optional[ROW_ID_KEY] = row_ids
    return st.fixed_dictionaries({}, optional=optional)


def plausible_answers(questionnaire: Questionnaire):
    """Return a strategy of answer sets shaped like the definition, some values invalid."""
    optional = {}
    for _, group, item in questionnaire.iter_items():
        if item.type in NO_ANSWER_TYPES or (group is not None and group.repeats):
            continue
        if isinstance(item, GroupItem):
            if item.repeats:
                optional[item.id] = st.lists(row_strategy(item), max_size=4)
            continue
        optional.update(leaf_answers(item))
    return st.fixed_dictionaries({}, optional=optional)


def shown_ids(questionnaire: Questionnaire, answers) -> set[str]:
    """Return the ids of top-level items (and repeating groups) shown with these answers."""
    shown: set[str] = set()
    for section in questionnaire.sections:
        section_shown = is_shown(section.show_if, answers)
        for item in section.items:
            item_shown = section_shown and is_shown(item.show_if, answers)
            if isinstance(item, GroupItem) and not item.repeats:
                shown |= {c.id for c in item.items if item_shown and is_shown(c.show_if, answers)}
            elif item_shown:
                shown.add(item.id)
    return shown


def is_empty(value) -> bool:
    """Return whether a raw value holds nothing: blank, or only control characters."""
    if isinstance(value, str):
        return not "".join(c for c in value if unicodedata.category(c)[0] != "C").strip()
    return not is_answered(value)


def assert_rows_refused(group: GroupItem, rows: list, result) -> None:
    """Check that a group whose rows were all dropped had nothing to keep in them."""
    for index, row in enumerate(rows):
        for child in group.items:
            if child.type == "display" or is_empty(row.get(child.id)):
                continue
            # The row was dropped, so every earlier answer in it was dropped too.
            if is_shown(child.show_if, result.answers, {}):
                assert f"{group.id}[{index}].{child.id}" in result.errors, (group.id, index)


@functools.cache
def strategies(slug: str):
    """Return (plausible, arbitrary) answer strategies for a shipped questionnaire, built once."""
    questionnaire = shipped(slug)
    return plausible_answers(questionnaire), arbitrary_under_real_ids(questionnaire)


# --- checks -----------------------------------------------------------------------------------


def assert_idempotent(questionnaire, raw):
    first = clean(questionnaire, raw)
    second = clean(questionnaire, first.answers)
    assert second.answers == first.answers
    assert second.errors == {}
    assert second.missing == ()
    required = clean(questionnaire, first.answers, require=True)
    assert required.answers == first.answers
    # Cleaned answers can only lack required answers; they have nothing wrong.
    assert set(required.errors) == set(required.missing)


def top_level_keys(questionnaire) -> set[str]:
    """Return every key an answer set may hold at the top level, repeating groups included."""
    return set(answer_keys(questionnaire)) | {
        item.id for _, _, item in questionnaire.iter_items() if getattr(item, "repeats", False)
    }


def assert_only_known_and_shown(questionnaire, answers):
    assert set(answers) <= top_level_keys(questionnaire)
    for section in questionnaire.sections:
        section_shown = is_shown(section.show_if, answers)
        for item in section.items:
            shown = section_shown and is_shown(item.show_if, answers)
            if isinstance(item, GroupItem) and not item.repeats:
                for child in item.items:
                    assert_leaf(child, answers, shown and is_shown(child.show_if, answers))
            elif isinstance(item, GroupItem):
                assert_rows(item, answers, shown)
            else:
                assert_leaf(item, answers, shown)


def assert_leaf(item, answers, shown):
    if not shown:
        assert item.id not in answers, f"{item.id} is hidden but kept"
    options = getattr(item, "options", None) or ()
    other = next((o.value for o in options if o.other), None)
    if item.id + OTHER_SUFFIX in answers:
        chosen = answers.get(item.id)
        chosen = chosen if isinstance(chosen, list) else [chosen]
        assert other in chosen, f"{item.id}{OTHER_SUFFIX} kept without the Other option"
    details = answers.get(item.id + DETAILS_SUFFIX)
    if details is not None:
        assert shown, f"{item.id}{DETAILS_SUFFIX} kept for a hidden item"
        assert set(details) <= set(answers.get(item.id, [])), "follow-ups of an unchosen option"
        allowed = {ROW_ID_KEY, *(detail.id for detail in item.details)}
        for entry in details.values():
            assert set(entry) <= allowed and ROW_ID_KEY in entry


def assert_rows(group, answers, shown):
    if not shown:
        assert group.id not in answers, f"{group.id} is hidden but kept"
        return
    rows = answers.get(group.id, [])
    assert isinstance(rows, list)
    assert len(rows) <= group.max_entries
    allowed = set(row_keys(group))
    for row in rows:
        assert set(row) <= allowed
        assert set(row) - {ROW_ID_KEY}, "an empty row was kept"
        for child in group.items:
            assert_leaf(child, row, is_shown(child.show_if, answers, row))
    assert len({row[ROW_ID_KEY] for row in rows}) == len(rows), "row ids are not unique"


# --- properties -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(raw=json_values, require=st.booleans())
def test_arbitrary_json_never_raises(slug, raw, require):
    questionnaire = shipped(slug)
    result = clean(questionnaire, raw, require=require)
    assert all(isinstance(message, str) and message for message in result.errors.values())
    if not isinstance(raw, dict):
        assert (result.answers, list(result.errors)) == ({}, ["__all__"])
        return
    known = top_level_keys(questionnaire)
    assert set(result.answers) <= known
    for key in raw:
        if key not in known:
            assert result.errors[key] == "This question is not part of this form.", key


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data(), require=st.booleans())
def test_arbitrary_json_under_real_ids_never_raises(slug, data, require):
    plausible, arbitrary = strategies(slug)
    result = clean(shipped(slug), data.draw(arbitrary), require=require)
    assert all(isinstance(message, str) and message for message in result.errors.values())
    assert set(result.missing) <= set(result.errors)


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_cleaning_plausible_answers_is_idempotent(slug, data):
    plausible, arbitrary = strategies(slug)
    assert_idempotent(shipped(slug), data.draw(plausible))


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_cleaning_arbitrary_json_is_idempotent(slug, data):
    plausible, arbitrary = strategies(slug)
    assert_idempotent(shipped(slug), data.draw(arbitrary))


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_cleaned_answers_are_known_and_shown(slug, data):
    plausible, arbitrary = strategies(slug)
    raw = data.draw(plausible | arbitrary)
    assert_only_known_and_shown(shipped(slug), clean(shipped(slug), raw).answers)


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_plausible_answers_keep_data(slug, data):
    """Every valid answer to a shown item survives cleaning: no silent data loss."""
    questionnaire = shipped(slug)
    raw = data.draw(strategies(slug)[0])
    result = clean(questionnaire, raw)
    shown = shown_ids(questionnaire, result.answers)
    items = questionnaire.item_index()
    for key, value in raw.items():
        if key in result.answers or key in result.errors:
            continue
        # Neither kept nor refused: the item is hidden, or the value holds nothing.
        item_id = key.removesuffix(OTHER_SUFFIX)
        if item_id not in shown or is_empty(value):
            continue
        if key.endswith(OTHER_SUFFIX):
            chosen = result.answers.get(item_id)
            chosen = chosen if isinstance(chosen, list) else [chosen]
            other = next(o.value for o in items[item_id].options if o.other)
            assert other not in chosen, f"{key} was dropped though Other is chosen"
        elif isinstance(items[item_id], GroupItem):
            assert_rows_refused(items[item_id], value, result)
        else:
            raise AssertionError(f"{key}={value!r} was dropped without an error")


def gives_something(value) -> bool:
    """Return whether a raw value holds anything a patient gave (an entry: any of its answers)."""
    if isinstance(value, list):
        return any(gives_something(one) for one in value)
    if isinstance(value, dict):
        return any(gives_something(one) for key, one in value.items() if key != ROW_ID_KEY)
    return not is_empty(value)


@pytest.mark.parametrize("slug", SHIPPED)
@bounded
@given(data=st.data())
def test_reported_cleaning_drops_nothing_without_a_word(slug, data):
    """With report_unasked, every answer given is stored, refused, or named as not asked."""
    questionnaire = shipped(slug)
    raw = data.draw(strategies(slug)[0])
    result = clean_answers(questionnaire, raw, today=TODAY, report_unasked=True)
    named = set(result.answers) | set(result.errors) | set(result.unasked)
    for key, value in raw.items():
        if not gives_something(value) or key in named:
            continue
        if any(name.startswith(f"{key}[") for name in named):
            continue  # a repeating group: its entries are kept or named one by one
        if key.removesuffix(OTHER_SUFFIX) in {**result.errors, **result.unasked}:
            continue  # "Other" text whose question was refused or not asked: named there
        raise AssertionError(f"{key}={value!r} was dropped without a word")
