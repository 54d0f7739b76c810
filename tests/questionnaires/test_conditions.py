"""Compound `show_if` (all / any) inside a repeating group: each entry answers for itself."""

from datetime import date

import pytest

from intake.questionnaires.cleaning import ROW_ID_KEY, clean_answers
from intake.questionnaires.conditions import is_shown
from intake.questionnaires.loader import load_text

TODAY = date(2026, 11, 21)

# One question about the patient, then one entry per surgery. Within an entry, follow-up
# questions depend on that entry's answers (and, for `all`, on the question before the group).
SURGERIES = load_text(
    """\
id: surgeries
title: Surgeries
sections:
  - id: past
    title: Past surgeries
    items:
      - {id: spine_patient, type: yes_no, text: "Is this visit about your spine?"}
      - id: surgeries
        type: group
        text: Each surgery
        repeats: true
        items:
          - id: kind
            type: single_choice
            text: What kind of surgery was it?
            options:
              - {value: fusion, label: Spinal fusion}
              - {value: knee, label: Knee surgery}
          - {id: complications, type: yes_no, text: "Were there complications?"}
          - id: fusion_complication
            type: long_text
            text: What went wrong after the fusion?
            show_if:
              all:
                - {item: spine_patient, equals: "yes"}
                - {item: kind, equals: fusion}
                - {item: complications, equals: "yes"}
          - id: follow_up
            type: text
            text: Who followed you up afterwards?
            show_if:
              any:
                - {item: kind, equals: fusion}
                - {item: complications, equals: "yes"}
"""
).questionnaire


def entries(raw_entries, *, spine_patient="yes"):
    """Clean the entries a patient gave; return them without their row ids."""
    raw = {"spine_patient": spine_patient, "surgeries": raw_entries}
    result = clean_answers(SURGERIES, raw, today=TODAY)
    assert result.errors == {}
    rows = result.answers["surgeries"]
    return [{key: value for key, value in row.items() if key != ROW_ID_KEY} for row in rows]


def test_an_all_condition_is_read_from_each_entrys_own_answers():
    kept = entries(
        [
            {"kind": "fusion", "complications": "yes", "fusion_complication": "Screw loosened"},
            {"kind": "fusion", "complications": "no", "fusion_complication": "Screw loosened"},
            {"kind": "knee", "complications": "yes", "fusion_complication": "Screw loosened"},
        ]
    )
    assert [entry.get("fusion_complication") for entry in kept] == ["Screw loosened", None, None]


def test_an_all_condition_in_an_entry_also_reads_the_question_before_the_group():
    raw = [{"kind": "fusion", "complications": "yes", "fusion_complication": "Screw loosened"}]
    assert entries(raw, spine_patient="yes")[0]["fusion_complication"] == "Screw loosened"
    assert "fusion_complication" not in entries(raw, spine_patient="no")[0]


def test_an_any_condition_is_read_from_each_entrys_own_answers():
    kept = entries(
        [
            {"kind": "fusion", "complications": "no", "follow_up": "Dr Invented"},
            {"kind": "knee", "complications": "yes", "follow_up": "Dr Invented"},
            {"kind": "knee", "complications": "no", "follow_up": "Dr Invented"},
        ]
    )
    assert [entry.get("follow_up") for entry in kept] == ["Dr Invented", "Dr Invented", None]


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        ({"kind": "fusion", "complications": "yes"}, True),
        ({"kind": "fusion", "complications": "no"}, False),
        ({}, False),
    ],
)
def test_the_summary_shows_an_entrys_follow_up_from_that_entry(row, shown):
    """The summary asks `is_shown` with the entry; it must agree with cleaning."""
    group = SURGERIES.item_index()["surgeries"]
    follow_up = {child.id: child for child in group.items}["fusion_complication"]
    assert is_shown(follow_up.show_if, {"spine_patient": "yes"}, row) is shown
