"""The five shipped questionnaires: valid, complete against the content brief, and plain."""

import re
from functools import cache
from pathlib import Path

import pytest

from intake.questionnaires.conditions import is_shown
from intake.questionnaires.loader import load_file
from intake.questionnaires.readability import reading_grade
from intake.questionnaires.schema import GroupItem, Questionnaire

DEFS = Path(__file__).resolve().parents[2] / "questionnaire_defs"
QUESTIONNAIRE_IDS = (
    "twitch_history",
    "back_injury",
    "surgeries",
    "medications",
    "health_background",
)


@cache
def _questionnaire(questionnaire_id: str) -> Questionnaire:
    return load_file(DEFS / f"{questionnaire_id}.yaml").questionnaire


def _items(questionnaire_id: str) -> dict:
    return _questionnaire(questionnaire_id).item_index()


def _all_items(*, with_details: bool = False):
    for questionnaire_id in QUESTIONNAIRE_IDS:
        for _, _, item in _questionnaire(questionnaire_id).iter_items():
            yield questionnaire_id, item
            if with_details:
                for detail in getattr(item, "details", None) or ():
                    yield questionnaire_id, detail


# Every point of /work/shared/QUESTIONNAIRES.md (version 2) and the item that asks it;
# "item.detail" names a follow-up asked for each chosen option.
BRIEF_CHECKLIST = {
    # 1. Muscle twitching
    "twitch: where, on a body map": ("twitch_history", "areas"),
    "twitch: which side is worse when both": ("twitch_history", "worse_side"),
    "twitch: now or only in the past": ("twitch_history", "happening_now"),
    "twitch: when it stopped": ("twitch_history", "stopped_when"),
    "twitch: how long ago it started, as a range": ("twitch_history", "since_range"),
    "twitch: month/year it started": ("twitch_history", "started"),
    "twitch: what it started after": ("twitch_history", "started_after"),
    "twitch: how often": ("twitch_history", "how_often"),
    "twitch: change over time": ("twitch_history", "trend"),
    "twitch: when it happens": ("twitch_history", "when_happens"),
    "twitch: others can see it": ("twitch_history", "visible"),
    "twitch: how much it bothers, 0-10": ("twitch_history", "bother"),
    "twitch: other feelings in the legs and feet": ("twitch_history", "leg_feelings"),
    "twitch: other feelings, how often": ("twitch_history", "leg_feelings.how_often"),
    "twitch: other feelings, how strong": ("twitch_history", "leg_feelings.strength"),
    "twitch: other feelings, where": ("twitch_history", "feeling_areas"),
    "twitch: cramps, where": ("twitch_history", "cramp_areas"),
    "twitch: cramps, nights a week": ("twitch_history", "cramp_nights"),
    "twitch: cramps, times a night": ("twitch_history", "cramp_times"),
    "twitch: cramps, what brings them on": ("twitch_history", "cramp_triggers"),
    "twitch: torn a calf muscle": ("twitch_history", "calf_torn"),
    "twitch: torn calf, when": ("twitch_history", "calf_torn_when"),
    "twitch: tests had": ("twitch_history", "tests_had"),
    "twitch: test, when": ("twitch_history", "tests_had.when"),
    "twitch: test, what they were told": ("twitch_history", "tests_had.told"),
    "twitch: clinicians seen": ("twitch_history", "clinicians_seen"),
    "twitch: things tried": ("twitch_history", "tried"),
    "twitch: thing tried, did it help": ("twitch_history", "tried.helped"),
    "twitch: thing tried, when": ("twitch_history", "tried.when"),
    "twitch: anything else": ("twitch_history", "anything_else"),
    # 2. Back and neck
    "back: injuries to the back or neck": ("back_injury", "injuries"),
    "back: injury, what happened": ("back_injury", "injury_cause"),
    "back: injury, when": ("back_injury", "injury_when"),
    "back: injury, area": ("back_injury", "injury_area"),
    "back: injury, care then": ("back_injury", "injury_care"),
    "back: back pain now, 0-10": ("back_injury", "back_pain_now"),
    "back: neck pain now, 0-10": ("back_injury", "neck_pain_now"),
    "back: pain in words": ("back_injury", "pain_words"),
    "back: how long they have had pain": ("back_injury", "pain_how_long"),
    "back: feelings in the legs": ("back_injury", "leg_symptoms"),
    "back: legs, which side": ("back_injury", "leg_side"),
    "back: legs, how far down": ("back_injury", "leg_how_far"),
    "back: leg pain, 0-10": ("back_injury", "leg_pain_now"),
    "back: what makes it worse": ("back_injury", "worse_with"),
    "back: what makes it better": ("back_injury", "better_with"),
    "back: bladder or bowel control": ("back_injury", "bladder_bowel_change"),
    "back: numbness in the groin or inner thighs": ("back_injury", "groin_numbness"),
    "back: spine problems a doctor has named": ("back_injury", "spine_problems"),
    "back: spine levels if known": ("back_injury", "spine_levels"),
    "back: back care tried": ("back_injury", "back_care_tried"),
    "back: anything else": ("back_injury", "anything_else"),
    # 3. Surgeries and procedures
    "surgeries: surgeries": ("surgeries", "surgery_list"),
    "surgeries: surgery, kind": ("surgeries", "surgery_kind"),
    "surgeries: surgery, description": ("surgeries", "surgery_description"),
    "surgeries: surgery, when": ("surgeries", "surgery_when"),
    "surgeries: surgery, side": ("surgeries", "surgery_side"),
    "surgeries: surgery, spine levels": ("surgeries", "surgery_levels"),
    "surgeries: surgery, metal hardware": ("surgeries", "surgery_hardware"),
    "surgeries: surgery, result": ("surgeries", "surgery_result"),
    "surgeries: surgery, problems after": ("surgeries", "surgery_problems"),
    "surgeries: spine injections and procedures": ("surgeries", "spine_procedures"),
    "surgeries: procedure, when": ("surgeries", "spine_procedures.when"),
    "surgeries: procedure, level": ("surgeries", "spine_procedures.level"),
    "surgeries: procedure, did it help": ("surgeries", "spine_procedures.helped"),
    "surgeries: offered but not done": ("surgeries", "offered"),
    "surgeries: offered, what": ("surgeries", "offered_what"),
    "surgeries: offered, when": ("surgeries", "offered_when"),
    "surgeries: surgery planned": ("surgeries", "surgery_planned"),
    "surgeries: anything else": ("surgeries", "anything_else"),
    # 4. Medicines and supplements
    "medications: medicines now or in the last 3 months": ("medications", "medicines"),
    "medications: medicine, name": ("medications", "medicine_name"),
    "medications: medicine, dose": ("medications", "medicine_dose"),
    "medications: medicine, how often": ("medications", "medicine_how_often"),
    "medications: medicine, what for": ("medications", "medicine_for"),
    "medications: medicine, started": ("medications", "medicine_started"),
    "medications: medicine, still taking": ("medications", "medicine_still_taking"),
    "medications: medicines tried before": ("medications", "past_medicines"),
    "medications: medicine tried before, did it help": ("medications", "past_helped"),
    "medications: supplements": ("medications", "supplements"),
    "medications: steroid pills or shots ever": ("medications", "steroid_ever"),
    "medications: steroid, when": ("medications", "steroid_when"),
    "medications: steroid, where given": ("medications", "steroid_where"),
    "medications: antibiotics with a bad reaction": ("medications", "antibiotic_reactions"),
    "medications: statins": ("medications", "statin_recent"),
    "medications: blood thinners": ("medications", "blood_thinner_recent"),
    "medications: caffeine": ("medications", "caffeine_per_day"),
    "medications: alcohol": ("medications", "alcohol_per_week"),
    "medications: tobacco": ("medications", "tobacco"),
    "medications: allergies and reactions": ("medications", "allergies"),
    "medications: allergy, substance": ("medications", "allergy_substance"),
    "medications: allergy, what happened": ("medications", "allergy_reaction"),
    "medications: allergy, how bad": ("medications", "allergy_severity"),
    "medications: anything else": ("medications", "anything_else"),
    # 5. About your health
    "health: conditions a doctor has told them about": ("health_background", "conditions"),
    "health: condition, its name": ("health_background", "conditions.name"),
    "health: other injuries and fractures": ("health_background", "injury_list"),
    "health: injury, what": ("health_background", "injury_what"),
    "health: injury, where": ("health_background", "injury_where"),
    "health: injury, side": ("health_background", "injury_side"),
    "health: injury, when": ("health_background", "injury_when"),
    "health: work": ("health_background", "work"),
    "health: how physical the work is": ("health_background", "work_physical"),
    "health: sport or exercise": ("health_background", "exercise"),
    "health: sport, how often": ("health_background", "exercise.how_often"),
    "health: sex as on the medical record": ("health_background", "sex"),
    "health: weight change in the last year": ("health_background", "weight_change"),
    "health: weight change, how much": ("health_background", "weight_amount"),
    "health: sleep trouble": ("health_background", "sleep_trouble"),
    "health: sleep, why in their words": ("health_background", "sleep_why"),
    "health: what worries them most": ("health_background", "worries"),
    "health: what they hope the visit will do": ("health_background", "hopes"),
    "health: anything else": ("health_background", "anything_else"),
}

# The answer lists the brief spells out, by option value.
BRIEF_OPTIONS = {
    ("twitch_history", "areas"): {
        "calf_left", "calf_right", "calf_side_not_sure", "shin_left", "shin_right",
        "knee_back_left", "knee_back_right", "achilles_left", "achilles_right",
        "thigh_outer_left", "thigh_outer_right", "foot_left", "foot_right", "other",
    },
    ("twitch_history", "started_after"): {
        "injury", "illness", "new_medicine", "reaction", "surgery", "hard_exercise", "other",
        "not_sure",
    },
    ("twitch_history", "leg_feelings"): {
        "cramps", "tightness", "tingling", "numbness", "buzzing", "weakness", "smaller", "pain",
        "toes_moving", "foot_trouble", "other", "none",
    },
    ("twitch_history", "cramp_areas"): {"foot_left", "foot_right", "calf_left", "calf_right"},
    ("twitch_history", "cramp_triggers"): {"lying_down", "pointing_foot", "position", "other"},
    ("twitch_history", "tests_had"): {"mri_low_back", "nerve_test", "blood_tests", "other"},
    ("back_injury", "injury_cause"): {"fall", "car_accident", "lifting", "sport", "not_sure"},
    ("back_injury", "pain_words"): {"aching", "sharp", "burning", "stiff", "sore_to_touch"},
    ("back_injury", "leg_side"): {"left", "right", "both", "not_sure"},
    ("surgeries", "surgery_kind"): {
        "spine_fusion", "spine_decompression", "spine_not_sure", "joint_surgery",
        "brain_nerve_surgery", "other", "not_sure",
    },
    ("medications", "steroid_kind"): {"pills", "shot", "not_sure"},
    ("health_background", "conditions"): {
        "nerve_muscle", "connective_tissue", "bone", "diabetes", "thyroid",
        "brain_nerve_surgery", "other", "not_sure",
    },
    ("health_background", "sex"): {"female", "male", "prefer_not_to_say"},
    ("health_background", "weight_change"): {"gained", "lost", "same", "not_sure"},
    ("health_background", "sleep_trouble"): {"falling_asleep", "staying_asleep", "none"},
}  # fmt: skip

# "Did it help?" offers these answers, a plain "Yes" among them, wherever it is asked.
HELPED_ANSWERS = {
    ("twitch_history", "tried.helped"): {"a_lot", "a_little", "no", "worse", "too_soon"},
    ("back_injury", "back_care_tried.helped"): {"a_lot", "a_little", "no", "worse", "too_soon"},
    ("surgeries", "spine_procedures.helped"): {"yes", "no", "not_sure"},
}

# How long ago, exactly as the brief lists the ranges: none overlaps, none is missing.
SINCE_RANGES = [
    ("under_1_month", "Less than 1 month ago"),
    ("months_1_6", "1 to 6 months ago"),
    ("months_6_12", "6 to 12 months ago"),
    ("years_1_2", "1 to 2 years ago"),
    ("years_2_5", "2 to 5 years ago"),
    ("years_5_10", "5 to 10 years ago"),
    ("over_10_years", "More than 10 years ago"),
    ("not_sure", "Not sure"),
]

REPEATING_GROUPS = {
    ("back_injury", "injuries"),
    ("surgeries", "surgery_list"),
    ("surgeries", "offered"),
    ("medications", "medicines"),
    ("medications", "past_medicines"),
    ("medications", "steroids"),
    ("medications", "antibiotic_reactions"),
    ("medications", "allergies"),
    ("health_background", "injury_list"),
}

KEY_ITEMS = {("back_injury", "bladder_bowel_change"), ("back_injury", "groin_numbness")}

# What the clinician reads "At a glance", by line.
GLANCE = {
    ("twitch_history", "areas"): "where",
    ("twitch_history", "since_range"): "since",
    ("twitch_history", "started"): "since",
    ("twitch_history", "how_often"): "how_often",
    ("twitch_history", "trend"): "trend",
    ("twitch_history", "anything_else"): "own_words",
    ("health_background", "worries"): "worries",
    ("health_background", "hopes"): "hopes",
}

# Questions that version 1 asked with a premise, or a clinical word first: never again.
PRESUMING_PATTERNS = [
    r"\bsince your back problem",
    r"\bspread from your back",
    r"\byour back problem",
    r"\bfasciculation",
    r"\bradiculopathy",
    r"\bsciatica",
    r"\bparesthesia",
]

# Clinical words a patient may have been told: only after a plain one, in brackets or help.
CLINICAL_WORDS = [
    "herniation", "stenosis", "spondylolisthesis", "epidural", "radiofrequency", "neurologist",
    "orthopedic", "emg", "ehlers", "osteoporosis", "neuropathy", "statin", "discectomy",
]  # fmt: skip

# Words that tell the patient what they have, what it means or what to do. Each starts at a
# word boundary so that ordinary words ("design of") do not trip it.
ADVICE_PATTERNS = [
    r"\byou should",
    r"\byou may have",
    r"\bsign of\b",
    r"\bsigns of\b",
    r"\bsuggest",
    r"\bdiagnos",
    r"likely\b",
    r"\brecommend",
    r"\bsee a doctor",
    r"\bsee your doctor",
    r"\bseek",
    r"\btreatment for",
    r"\bwe advise",
    r"\bcould mean",
    r"\bmay mean",
    r"\bemergency",
    r"\b911\b",
]

# Ordered, scale-like answer lists (frequency, trend, how bad, did it help, side, how long
# ago, sex on the record): every answer is on the list, so they need no "Other".
NO_OTHER_NEEDED = {
    "worse_side",
    "since_range",
    "how_often",
    "trend",
    "woken_from_sleep",
    "calf_torn_side",
    "helped",
    "pain_how_long",
    "leg_side",
    "leg_how_far",
    "surgery_side",
    "surgery_result",
    "past_helped",
    "allergy_severity",
    "strength",  # mild, moderate, strong: a scale, not a list that could miss something
    "injury_side",
    "work_physical",
    "sex",
    "weight_change",
}

EXCLUSIVE_VALUES = {"none", "not_sure", "no_pattern", "nothing", "no_symptoms", "no_pain"}


def _texts(questionnaire: Questionnaire):
    """Yield (where, text) for every string the patient can read, follow-ups included."""
    yield "title", questionnaire.title
    yield "description", questionnaire.description
    for section in questionnaire.sections:
        yield f"{section.id}.title", section.title
        yield f"{section.id}.intro", section.intro
    for _, _, item in questionnaire.iter_items():
        for one in (item, *(getattr(item, "details", None) or ())):
            for name in ("text", "help", "entry_label", "add_label", "min_label", "max_label"):
                yield f"{one.id}.{name}", getattr(one, name, None)
            for option in getattr(one, "options", None) or ():
                yield f"{one.id}.{option.value}", option.label


def _find(questionnaire_id: str, where: str):
    """Return an item by id, or a follow-up by "item.follow_up"."""
    item_id, _, detail_id = where.partition(".")
    item = _items(questionnaire_id)[item_id]
    if not detail_id:
        return item
    return next(detail for detail in item.details if detail.id == detail_id)


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_definition_loads_with_id_matching_file(questionnaire_id):
    assert _questionnaire(questionnaire_id).id == questionnaire_id


def test_each_questionnaire_is_a_few_short_pages():
    pages = {q: len(_questionnaire(q).sections) for q in QUESTIONNAIRE_IDS}
    assert all(3 <= count <= 6 for count in pages.values()), pages
    assert sum(pages.values()) <= 24, pages


@pytest.mark.parametrize(("point", "where"), BRIEF_CHECKLIST.items(), ids=list(BRIEF_CHECKLIST))
def test_brief_point_is_asked(point, where):
    questionnaire_id, item_id = where
    try:
        _find(questionnaire_id, item_id)
    except (KeyError, StopIteration):
        pytest.fail(f"{point}: no item '{item_id}'")


@pytest.mark.parametrize(
    ("where", "values"),
    BRIEF_OPTIONS.items(),
    # Named by the item alone: a set's order differs between processes (pytest-xdist).
    ids=[f"{questionnaire_id}.{item_id}" for questionnaire_id, item_id in BRIEF_OPTIONS],
)
def test_brief_answer_list_is_offered(where, values):
    questionnaire_id, item_id = where
    offered = {option.value for option in _items(questionnaire_id)[item_id].options}
    assert values <= offered, f"{item_id} lacks {sorted(values - offered)}"


@pytest.mark.parametrize(
    ("where", "values"),
    HELPED_ANSWERS.items(),
    ids=[".".join(where) for where in HELPED_ANSWERS],
)
def test_did_it_help_offers_every_honest_answer(where, values):
    helped = _find(*where)
    offered = {option.value for option in helped.options}
    assert values <= offered
    assert "not_sure" in offered
    yes = [option.label for option in helped.options if option.label.startswith("Yes")]
    assert yes, "a plain Yes is on the list"


def test_how_long_ago_ranges_are_exactly_the_briefs_and_do_not_overlap():
    since = _items("twitch_history")["since_range"]
    assert [(option.value, option.label) for option in since.options] == SINCE_RANGES


@pytest.mark.parametrize(("value", "_"), SINCE_RANGES)
def test_change_over_time_is_asked_only_when_it_started_more_than_3_months_ago(value, _):
    trend = _items("twitch_history")["trend"]
    more_than_3_months = value in {"months_6_12", "years_1_2", "years_2_5", "years_5_10"}
    more_than_3_months |= value == "over_10_years"
    assert is_shown(trend.show_if, {"since_range": value}) is more_than_3_months
    assert is_shown(trend.show_if, {}) is False


@pytest.mark.parametrize("item_id", ["areas", "feeling_areas", "cramp_areas"])
def test_where_it_is_felt_is_a_body_map_keeping_sides_apart(item_id):
    item = _items("twitch_history")[item_id]
    values = {option.value for option in item.options}
    assert item.display == "body_map"
    assert {"calf_left", "calf_right", "foot_left", "foot_right"} <= values
    assert any("not sure which side" in option.label for option in item.options)


def test_items_with_follow_ups_per_choice():
    found = {(q, item.id) for q, item in _all_items() if getattr(item, "details", None)}
    assert found == {
        ("twitch_history", "started_after"),
        ("twitch_history", "leg_feelings"),
        ("twitch_history", "tests_had"),
        ("twitch_history", "tried"),
        ("back_injury", "back_care_tried"),
        ("surgeries", "spine_procedures"),
        ("health_background", "conditions"),
        ("health_background", "exercise"),
    }


@pytest.mark.parametrize("where", sorted(REPEATING_GROUPS), ids=str)
def test_repeating_group_is_complete(where):
    questionnaire_id, item_id = where
    group = _items(questionnaire_id)[item_id]
    assert isinstance(group, GroupItem)
    assert group.repeats is True
    assert group.entry_label and group.add_label and group.max_items
    assert group.title_from


def test_repeating_groups_are_exactly_the_listed_ones():
    found = {(q, item.id) for q, item in _all_items() if getattr(item, "repeats", False)}
    assert found == REPEATING_GROUPS


def test_only_bladder_bowel_and_groin_items_are_key():
    found = {(q, item.id) for q, item in _all_items() if getattr(item, "key", False)}
    assert found == KEY_ITEMS
    for questionnaire_id, item_id in KEY_ITEMS:
        item = _items(questionnaire_id)[item_id]
        assert item.type == "yes_no" and item.not_sure
        assert item.show_if is None, "asked of everyone, without a premise"


def test_at_a_glance_lines_come_from_the_listed_items():
    found = {(q, item.id): item.glance for q, item in _all_items() if getattr(item, "glance", None)}
    assert found == GLANCE


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_every_questionnaire_ends_with_a_box_for_anything_else(questionnaire_id):
    last = _questionnaire(questionnaire_id).sections[-1].items[-1]
    assert (last.id, last.type) == ("anything_else", "long_text")
    assert last.show_if is None and not last.required


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_every_required_choice_lets_a_patient_say_not_sure(questionnaire_id):
    loaded = load_file(DEFS / f"{questionnaire_id}.yaml")
    assert loaded.warnings == ()


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_questions_and_options_read_at_grade_8_or_below(questionnaire_id):
    assert not reading_grade(_questionnaire(questionnaire_id)).too_hard()


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_no_text_gives_a_diagnosis_or_advice(questionnaire_id):
    found = [
        f"{where}: {text!r}"
        for where, text in _texts(_questionnaire(questionnaire_id))
        if text and any(re.search(pattern, text, re.IGNORECASE) for pattern in ADVICE_PATTERNS)
    ]
    assert not found


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_no_question_presumes_a_back_problem_or_opens_with_a_clinical_word(questionnaire_id):
    found = [
        f"{where}: {text!r}"
        for where, text in _texts(_questionnaire(questionnaire_id))
        if text and any(re.search(pattern, text, re.IGNORECASE) for pattern in PRESUMING_PATTERNS)
    ]
    assert not found


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_clinical_words_come_only_in_brackets_after_plain_ones(questionnaire_id):
    found = []
    for where, text in _texts(_questionnaire(questionnaire_id)):
        if not text or where.endswith(".help"):
            continue
        outside_brackets = re.sub(r"\([^)]*\)", "", text).lower()
        found += [f"{where}: {word}" for word in CLINICAL_WORDS if word in outside_brackets]
    assert not found


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_word_diagnosis_is_nowhere_in_the_file(questionnaire_id):
    assert "diagnos" not in (DEFS / f"{questionnaire_id}.yaml").read_text().lower()


def test_longer_choice_lists_offer_other():
    missing = [
        f"{q}.{item.id}"
        for q, item in _all_items(with_details=True)
        if item.type in ("single_choice", "multi_choice")
        and len(item.options) >= 4
        and item.id not in NO_OTHER_NEEDED
        and not any(option.other for option in item.options)
    ]
    assert not missing


def test_no_other_exemptions_name_real_longer_lists():
    items = {item.id: item for _, item in _all_items(with_details=True)}
    for item_id in NO_OTHER_NEEDED:
        assert len(items[item_id].options) >= 4, item_id


def test_none_and_not_sure_exclude_other_answers():
    not_exclusive = [
        f"{q}.{item.id}.{option.value}"
        for q, item in _all_items()
        if item.type == "multi_choice"
        for option in item.options
        if option.value in EXCLUSIVE_VALUES and not option.exclusive
    ]
    assert not not_exclusive


def test_other_options_use_value_other():
    for _, item in _all_items(with_details=True):
        for option in getattr(item, "options", None) or ():
            if option.other:
                assert option.value == "other", item.id


@pytest.mark.parametrize(
    ("questionnaire_id", "item_id", "answers", "row", "shown"),
    [
        ("twitch_history", "worse_side", {"areas": ["calf_left", "calf_right"]}, None, True),
        ("twitch_history", "worse_side", {}, None, False),
        ("twitch_history", "stopped_when", {"happening_now": "past"}, None, True),
        ("twitch_history", "stopped_when", {"happening_now": "now"}, None, False),
        ("twitch_history", "feeling_areas", {"leg_feelings": ["numbness"]}, None, True),
        ("twitch_history", "feeling_areas", {"leg_feelings": ["cramps"]}, None, False),
        ("twitch_history", "cramp_nights", {"leg_feelings": ["cramps"]}, None, True),
        ("twitch_history", "cramp_triggers", {"leg_feelings": ["none"]}, None, False),
        ("twitch_history", "calf_torn_when", {"calf_torn": "not_sure"}, None, False),
        ("back_injury", "injuries", {"ever_injured": "yes"}, None, True),
        ("back_injury", "leg_side", {"leg_symptoms": ["none"]}, None, False),
        ("back_injury", "leg_how_far", {"leg_symptoms": ["tingling"]}, None, True),
        ("back_injury", "leg_pain_now", {"leg_symptoms": ["numbness"]}, None, False),
        ("back_injury", "spine_levels", {"spine_problems": ["disc"]}, None, True),
        ("back_injury", "spine_levels", {"spine_problems": ["not_sure"]}, None, False),
        ("surgeries", "surgery_levels", {}, {"surgery_kind": "spine_not_sure"}, True),
        ("surgeries", "surgery_levels", {}, {"surgery_kind": "joint_surgery"}, False),
        ("surgeries", "offered", {"offered_not_done": "not_sure"}, None, False),
        ("surgeries", "planned_what", {"surgery_planned": "yes"}, None, True),
        ("medications", "antibiotic_which", {"antibiotic_recent": "yes"}, None, True),
        ("medications", "steroids", {"steroid_ever": "no"}, None, False),
        ("medications", "steroid_where", {}, {"steroid_kind": "shot"}, True),
        ("medications", "steroid_where", {}, {"steroid_kind": "pills"}, False),
        ("medications", "allergies", {"has_allergies": "yes"}, None, True),
        ("health_background", "weight_amount", {"weight_change": "lost"}, None, True),
        ("health_background", "weight_amount", {"weight_change": "same"}, None, False),
        ("health_background", "sleep_why", {"sleep_trouble": ["staying_asleep"]}, None, True),
        ("health_background", "sleep_why", {"sleep_trouble": ["none"]}, None, False),
    ],
)
def test_follow_up_questions_appear_only_when_they_apply(
    questionnaire_id, item_id, answers, row, shown
):
    item = _items(questionnaire_id)[item_id]
    assert is_shown(item.show_if, answers, row) is shown
