"""The four shipped questionnaires: valid, complete against the content brief, and plain."""

import re
from functools import cache
from pathlib import Path

import pytest

from intake.questionnaires.conditions import is_shown
from intake.questionnaires.loader import load_file
from intake.questionnaires.schema import GroupItem, Questionnaire

DEFS = Path(__file__).resolve().parents[2] / "questionnaire_defs"
QUESTIONNAIRE_IDS = ("twitch_history", "back_injury", "surgeries", "medications")


@cache
def _questionnaire(questionnaire_id: str) -> Questionnaire:
    return load_file(DEFS / f"{questionnaire_id}.yaml").questionnaire


def _items(questionnaire_id: str) -> dict:
    return _questionnaire(questionnaire_id).item_index()


def _all_items():
    for questionnaire_id in QUESTIONNAIRE_IDS:
        for _, _, item in _questionnaire(questionnaire_id).iter_items():
            yield questionnaire_id, item


# Every point of /work/shared/QUESTIONNAIRES.md and the item that asks it.
BRIEF_CHECKLIST = {
    # 1. Muscle twitching history
    "twitch: where it twitches": ("twitch_history", "areas"),
    "twitch: which side is worse when both calves": ("twitch_history", "worse_side"),
    "twitch: whether the start month/year is known": ("twitch_history", "know_start"),
    "twitch: month/year it started": ("twitch_history", "started"),
    "twitch: how long ago it started, as a range": ("twitch_history", "since_range"),
    "twitch: how often": ("twitch_history", "how_often"),
    "twitch: trend over the last 3 months": ("twitch_history", "trend"),
    "twitch: when it happens": ("twitch_history", "when_happens"),
    "twitch: other people can see the muscle jump": ("twitch_history", "visible"),
    "twitch: other symptoms in the same area": ("twitch_history", "other_symptoms"),
    "twitch: night cramps, nights per week": ("twitch_history", "night_cramp_nights"),
    "twitch: woken from sleep": ("twitch_history", "woken_from_sleep"),
    "twitch: how much it bothers, 0-10": ("twitch_history", "bother"),
    "twitch: ever torn a calf muscle": ("twitch_history", "calf_torn"),
    "twitch: when the calf was torn": ("twitch_history", "calf_torn_when"),
    "twitch: tests already done": ("twitch_history", "tests_done"),
    "twitch: what they were told about the results": ("twitch_history", "test_results"),
    "twitch: clinicians already seen": ("twitch_history", "clinicians_seen"),
    "twitch: whether they tried anything": ("twitch_history", "tried_anything"),
    "twitch: list of things tried": ("twitch_history", "things_tried"),
    "twitch: what was tried": ("twitch_history", "tried_what"),
    "twitch: did it help": ("twitch_history", "tried_helped"),
    "twitch: anything else for the clinician": ("twitch_history", "anything_else"),
    # 2. Back and neck history
    "back: ever injured the back or neck": ("back_injury", "ever_injured"),
    "back: list of injuries": ("back_injury", "injuries"),
    "back: injury, what happened": ("back_injury", "injury_cause"),
    "back: injury, year": ("back_injury", "injury_when"),
    "back: injury, area": ("back_injury", "injury_area"),
    "back: injury, medical care then": ("back_injury", "injury_care"),
    "back: back pain now, 0-10": ("back_injury", "back_pain_now"),
    "back: neck pain now, 0-10": ("back_injury", "neck_pain_now"),
    "back: spreading into the legs, which side": ("back_injury", "leg_spread"),
    "back: spreading into the legs, what": ("back_injury", "leg_feelings"),
    "back: spreading into the legs, how far": ("back_injury", "leg_how_far"),
    "back: what makes it worse": ("back_injury", "worse_with"),
    "back: change in bladder or bowel control": ("back_injury", "bladder_bowel_change"),
    "back: numbness in the groin or inner thighs": ("back_injury", "groin_numbness"),
    "back: spine problems a doctor told them about": ("back_injury", "spine_problems"),
    "back: spine levels if known": ("back_injury", "spine_levels"),
    "back: back care tried": ("back_injury", "back_care_tried"),
    # 3. Surgeries and procedures
    "surgeries: any surgery ever": ("surgeries", "had_surgery"),
    "surgeries: list of surgeries": ("surgeries", "surgery_list"),
    "surgeries: surgery, kind": ("surgeries", "surgery_kind"),
    "surgeries: surgery, short description": ("surgeries", "surgery_description"),
    "surgeries: surgery, month/year": ("surgeries", "surgery_when"),
    "surgeries: surgery, side": ("surgeries", "surgery_side"),
    "surgeries: surgery, spine levels": ("surgeries", "surgery_levels"),
    "surgeries: surgery, metal hardware": ("surgeries", "surgery_hardware"),
    "surgeries: surgery, result": ("surgeries", "surgery_result"),
    "surgeries: surgery, any problems afterwards": ("surgeries", "surgery_had_problems"),
    "surgeries: surgery, which problems afterwards": ("surgeries", "surgery_problems"),
    "surgeries: any spine injection or procedure": ("surgeries", "had_spine_procedure"),
    "surgeries: list of spine injections or procedures": ("surgeries", "procedures"),
    "surgeries: procedure, kind": ("surgeries", "procedure_kind"),
    "surgeries: procedure, month/year": ("surgeries", "procedure_when"),
    "surgeries: procedure, area or level": ("surgeries", "procedure_area"),
    "surgeries: procedure, did it help": ("surgeries", "procedure_helped"),
    "surgeries: any surgery planned": ("surgeries", "surgery_planned"),
    "surgeries: planned surgery, what": ("surgeries", "planned_what"),
    # 4. Medicines and supplements
    "medications: whether they take medicines": ("medications", "takes_medicines"),
    "medications: list of medicines": ("medications", "medicines"),
    "medications: medicine, name": ("medications", "medicine_name"),
    "medications: medicine, dose as on the label": ("medications", "medicine_dose"),
    "medications: medicine, how often": ("medications", "medicine_how_often"),
    "medications: medicine, what it is for": ("medications", "medicine_for"),
    "medications: medicine, started": ("medications", "medicine_started"),
    "medications: medicine, still taking": ("medications", "medicine_still_taking"),
    "medications: supplements and vitamins": ("medications", "supplements"),
    "medications: steroid pills or shot, last 3 months": ("medications", "steroid_recent"),
    "medications: steroid, when": ("medications", "steroid_when"),
    "medications: antibiotics, last 3 months": ("medications", "antibiotic_recent"),
    "medications: antibiotics, which": ("medications", "antibiotic_which"),
    "medications: cholesterol medicine (statin), last 3 months": ("medications", "statin_recent"),
    "medications: blood thinner, last 3 months": ("medications", "blood_thinner_recent"),
    "medications: caffeine drinks per day": ("medications", "caffeine_per_day"),
    "medications: alcohol drinks per week": ("medications", "alcohol_per_week"),
    "medications: tobacco or nicotine use": ("medications", "tobacco"),
    "medications: whether they have allergies": ("medications", "has_allergies"),
    "medications: list of allergies and bad reactions": ("medications", "allergies"),
    "medications: allergy, substance": ("medications", "allergy_substance"),
    "medications: allergy, what happened": ("medications", "allergy_reaction"),
    "medications: allergy, how bad": ("medications", "allergy_severity"),
}

# The answer lists the brief spells out, by option value.
BRIEF_OPTIONS = {
    ("twitch_history", "areas"): {
        "left_calf", "right_calf", "thigh", "shin", "foot", "buttock", "back", "arm", "hand",
        "face", "other",
    },
    ("twitch_history", "since_range"): {
        "under_1_month", "months_1_6", "months_6_12", "years_1_5", "over_5_years",
    },
    ("twitch_history", "how_often"): {
        "rarely", "few_times_week", "daily", "most_of_day", "constant",
    },
    ("twitch_history", "trend"): {"better", "same", "worse", "comes_and_goes"},
    ("twitch_history", "when_happens"): {
        "at_rest", "in_bed", "after_exercise", "sitting", "standing_walking", "stress",
        "caffeine", "no_pattern",
    },
    ("twitch_history", "other_symptoms"): {
        "cramps", "tightness", "tingling", "numbness", "buzzing", "weakness", "smaller", "pain",
        "toes_curling", "foot_lifting", "none",
    },
    ("twitch_history", "woken_from_sleep"): {"never", "sometimes", "often"},
    ("twitch_history", "tests_done"): {
        "mri_low_back", "mri_neck", "xray", "emg", "blood_tests", "ultrasound", "none",
        "not_sure",
    },
    ("twitch_history", "clinicians_seen"): {
        "family_doctor", "neurologist", "orthopedic_spine", "physical_therapist",
        "chiropractor", "other",
    },
    ("twitch_history", "tried_what"): {
        "stretching", "massage", "physical_therapy", "dry_needling", "acupuncture", "minerals",
        "more_water", "heat", "slant_board", "medicine", "injections", "other",
    },
    ("twitch_history", "tried_helped"): {"a_lot", "a_little", "no", "worse"},
    ("back_injury", "injury_cause"): {
        "fall", "car_accident", "lifting", "sport", "work_injury", "other",
    },
    ("back_injury", "injury_area"): {"neck", "upper_mid_back", "low_back", "tailbone"},
    ("back_injury", "leg_spread"): {"none", "left", "right", "both"},
    ("back_injury", "leg_feelings"): {"pain", "numbness", "tingling", "weakness"},
    ("back_injury", "leg_how_far"): {"buttock", "thigh", "calf", "foot"},
    ("back_injury", "worse_with"): {
        "sitting", "standing", "walking", "bending", "lifting", "coughing_sneezing", "lying_down",
    },
    ("back_injury", "spine_problems"): {
        "disc", "arthritis", "stenosis", "spondylolisthesis", "fracture", "scoliosis", "none",
        "not_sure",
    },
    ("back_injury", "back_care_tried"): {
        "physical_therapy", "chiropractic", "injections", "surgery", "medicine", "none",
    },
    ("surgeries", "surgery_kind"): {
        "spine_fusion", "spine_decompression", "neck_surgery", "joint_surgery",
        "brain_nerve_surgery", "other",
    },
    ("surgeries", "surgery_result"): {"better", "same", "worse", "mixed"},
    ("surgeries", "procedure_kind"): {
        "epidural_steroid", "nerve_block", "radiofrequency_ablation", "blood_patch",
        "own_blood_product", "botox", "other",
    },
    ("medications", "medicine_how_often"): {
        "once_daily", "twice_daily", "three_times_daily", "as_needed", "weekly", "other",
    },
    ("medications", "supplements"): {
        "magnesium", "potassium", "calcium", "vitamin_d", "vitamin_b12", "creatine", "other",
    },
    ("medications", "allergy_severity"): {"mild", "moderate", "severe"},
}  # fmt: skip

REPEATING_GROUPS = {
    ("twitch_history", "things_tried"),
    ("back_injury", "injuries"),
    ("surgeries", "surgery_list"),
    ("surgeries", "procedures"),
    ("medications", "medicines"),
    ("medications", "allergies"),
}

KEY_ITEMS = {("back_injury", "bladder_bowel_change"), ("back_injury", "groin_numbness")}

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
# ago): every answer is on the list, so they need no "Other".
NO_OTHER_NEEDED = {
    "worse_side",
    "since_range",
    "how_often",
    "trend",
    "tried_helped",
    "leg_spread",
    "leg_how_far",
    "surgery_side",
    "surgery_result",
    "procedure_helped",
    "allergy_severity",
}

EXCLUSIVE_VALUES = {"none", "not_sure", "no_pattern", "nothing"}


def _texts(questionnaire: Questionnaire):
    """Yield (where, text) for every string the patient can read."""
    yield "title", questionnaire.title
    yield "description", questionnaire.description
    for section in questionnaire.sections:
        yield f"{section.id}.title", section.title
        yield f"{section.id}.intro", section.intro
    for _, _, item in questionnaire.iter_items():
        for name in ("text", "help", "entry_label", "add_label", "min_label", "max_label"):
            yield f"{item.id}.{name}", getattr(item, name, None)
        for option in getattr(item, "options", None) or ():
            yield f"{item.id}.{option.value}", option.label


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_definition_loads_with_id_matching_file(questionnaire_id):
    assert _questionnaire(questionnaire_id).id == questionnaire_id


def test_whole_intake_is_ten_to_fourteen_pages():
    pages = [len(_questionnaire(q).sections) for q in QUESTIONNAIRE_IDS]
    assert all(2 <= count <= 4 for count in pages), pages
    assert 10 <= sum(pages) <= 14, pages


@pytest.mark.parametrize(("point", "where"), BRIEF_CHECKLIST.items(), ids=list(BRIEF_CHECKLIST))
def test_brief_point_is_asked(point, where):
    questionnaire_id, item_id = where
    assert item_id in _items(questionnaire_id), f"{point}: no item '{item_id}'"


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


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_no_text_gives_a_diagnosis_or_advice(questionnaire_id):
    found = [
        f"{where}: {text!r}"
        for where, text in _texts(_questionnaire(questionnaire_id))
        if text and any(re.search(pattern, text, re.IGNORECASE) for pattern in ADVICE_PATTERNS)
    ]
    assert not found


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_word_diagnosis_is_nowhere_in_the_file(questionnaire_id):
    assert "diagnos" not in (DEFS / f"{questionnaire_id}.yaml").read_text().lower()


def test_longer_choice_lists_offer_other():
    missing = [
        f"{q}.{item.id}"
        for q, item in _all_items()
        if item.type in ("single_choice", "multi_choice")
        and len(item.options) >= 4
        and item.id not in NO_OTHER_NEEDED
        and not any(option.other for option in item.options)
    ]
    assert not missing


def test_no_other_exemptions_name_real_longer_lists():
    items = {item.id: item for _, item in _all_items()}
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


def test_other_options_use_value_other_and_label_other():
    for _, item in _all_items():
        for option in getattr(item, "options", None) or ():
            if option.other:
                assert (option.value, option.label) == ("other", "Other"), item.id


@pytest.mark.parametrize(
    ("questionnaire_id", "item_id", "answers", "row", "shown"),
    [
        ("twitch_history", "worse_side", {"areas": ["left_calf", "right_calf"]}, None, True),
        ("twitch_history", "worse_side", {"areas": ["left_calf", "thigh"]}, None, False),
        ("twitch_history", "started", {"know_start": "yes"}, None, True),
        ("twitch_history", "since_range", {"know_start": "yes"}, None, False),
        ("twitch_history", "since_range", {"know_start": "no"}, None, True),
        ("twitch_history", "night_cramp_nights", {"other_symptoms": ["cramps"]}, None, True),
        ("twitch_history", "night_cramp_nights", {"other_symptoms": ["none"]}, None, False),
        ("twitch_history", "calf_torn_when", {"calf_torn": "not_sure"}, None, False),
        ("twitch_history", "test_results", {"tests_done": ["emg"]}, None, True),
        ("twitch_history", "test_results", {"tests_done": ["none"]}, None, False),
        ("twitch_history", "things_tried", {"tried_anything": "no"}, None, False),
        ("back_injury", "injuries", {"ever_injured": "yes"}, None, True),
        ("back_injury", "leg_feelings", {"leg_spread": "none"}, None, False),
        ("back_injury", "leg_how_far", {"leg_spread": "both"}, None, True),
        ("back_injury", "spine_levels", {"spine_problems": ["disc"]}, None, True),
        ("back_injury", "spine_levels", {"spine_problems": ["not_sure"]}, None, False),
        ("surgeries", "surgery_levels", {}, {"surgery_kind": "spine_fusion"}, True),
        ("surgeries", "surgery_levels", {}, {"surgery_kind": "joint_surgery"}, False),
        ("surgeries", "procedures", {"had_spine_procedure": "not_sure"}, None, False),
        ("surgeries", "planned_what", {"surgery_planned": "yes"}, None, True),
        ("medications", "antibiotic_which", {"antibiotic_recent": "yes"}, None, True),
        ("medications", "steroid_when", {"steroid_recent": "no"}, None, False),
        ("medications", "allergies", {"has_allergies": "yes"}, None, True),
    ],
)
def test_follow_up_questions_appear_only_when_they_apply(
    questionnaire_id, item_id, answers, row, shown
):
    item = _items(questionnaire_id)[item_id]
    assert is_shown(item.show_if, answers, row) is shown
