"""The longest legal answers to a questionnaire, built from its definition: every field full.

Texts are at their maximum length, repeating groups hold their maximum number of entries,
multi-choice items have every option chosen that may go together, each with every follow-up
answered ("details"), and "Other" texts are full. A `turn` picks which answer single-choice
and yes/no items get, so that a few turns between them open every item a condition hides.
Every text starts with its own serial number, so a test can find each one in the PDF and
tell it from the others.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intake.questionnaires.cleaning import (
    DETAILS_SUFFIX,
    INTEGER_LIMIT,
    OTHER_SUFFIX,
    OTHER_TEXT_MAX_LENGTH,
)
from intake.questionnaires.schema import NO_ANSWER_TYPES, GroupItem, Questionnaire

WIDE = "W"  # the widest Latin letter in the PDF's fonts
WORD = 11  # letters in a word of the with-spaces texts: long, but a line can break between
YES_NO = ("yes", "no", "not_sure")


class Filler:
    """Make texts of an exact length, each different: one unbroken word, or words and spaces."""

    def __init__(self, *, spaces: bool):
        self.spaces = spaces
        self.serial = 0
        self.texts: list[str] = []

    def text(self, length: int) -> str:
        self.serial += 1
        tag = f"{self.serial:04d}"
        if self.spaces:
            body = "".join(WIDE if (i + 1) % (WORD + 1) else " " for i in range(length))
        else:
            body = WIDE * length
        text = (tag + body[len(tag) :].rstrip()).ljust(length, WIDE)[:length]
        self.texts.append(text)
        return text


def longest_answers(
    questionnaire: Questionnaire, *, filler: Filler, turn: int, today: date
) -> dict[str, Any]:
    """Return answers to every item this turn's choices show, each at its longest."""
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        for item in section.items:
            if isinstance(item, GroupItem) and item.repeats:
                answers[item.id] = [
                    _entry(item, filler, turn + index, today) for index in range(item.max_entries)
                ]
            elif isinstance(item, GroupItem):
                for child in item.items:
                    _answer_into(answers, child, filler, _spread(turn), today)
            else:
                _answer_into(answers, item, filler, _spread(turn), today)
    return answers


def _spread(turn: int) -> float:
    """Let a turn reach the middle of a long list too ("6 to 12 months ago" opens "trend")."""
    return turn + 0.5 if turn % 2 else float(turn)


def _entry(group: GroupItem, filler: Filler, turn: int, today: date) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for child in group.items:
        _answer_into(entry, child, filler, turn, today)
    return entry


def _pick(options, turn: float):
    """Return the option for this turn: turn n picks option n; n + 0.5, the middle one on."""
    whole = int(turn)
    index = whole if turn == whole else whole - 1 + len(options) // 2
    return options[index % len(options)]


def _details(item, chosen: list[str], filler: Filler, turn: float, today: date) -> dict:
    """Return the follow-ups of every chosen option, each answered at its longest."""
    details = {}
    for value in chosen:
        entry: dict[str, Any] = {}
        for detail in item.details:
            _answer_into(entry, detail, filler, turn, today)
        details[value] = entry
    return details


def _answer_into(out: dict, item, filler: Filler, turn: float, today: date) -> None:
    kind = item.type
    if kind in NO_ANSWER_TYPES:  # text to read, or photos and videos kept beside the answers
        return
    if kind in ("text", "long_text"):
        out[item.id] = filler.text(item.max_length)
    elif kind == "yes_no":
        choices = YES_NO if item.not_sure else YES_NO[:2]
        out[item.id] = choices[int(turn) % len(choices)]
    elif kind == "single_choice":
        out[item.id] = _pick(item.options, turn).value
    elif kind == "multi_choice":
        out[item.id] = [option.value for option in item.options if not option.exclusive]
        if item.details:
            out[item.id + DETAILS_SUFFIX] = _details(item, out[item.id], filler, turn, today)
    elif kind == "integer":
        low = item.min if item.min is not None else -INTEGER_LIMIT
        high = item.max if item.max is not None else INTEGER_LIMIT
        out[item.id] = max(low, high, key=lambda number: len(str(number)))
    elif kind == "decimal":
        low = item.min if item.min is not None else -INTEGER_LIMIT
        high = item.max if item.max is not None else INTEGER_LIMIT
        out[item.id] = low + (high - low) * 2 / 3  # a long repeating fraction
    elif kind == "scale":
        out[item.id] = item.max
    elif kind == "date":
        out[item.id] = date(today.year - 1, 9, 28).isoformat()  # "28 Sep": two-digit day
    elif kind == "month_year":
        out[item.id] = f"{today.year - 1}-09"  # September, the longest month name
    else:
        raise AssertionError(f"no longest answer for item type {kind}")
    chosen = out[item.id] if isinstance(out[item.id], list) else [out[item.id]]
    options = getattr(item, "options", ())
    if any(option.other and option.value in chosen for option in options):
        out[item.id + OTHER_SUFFIX] = filler.text(OTHER_TEXT_MAX_LENGTH)
