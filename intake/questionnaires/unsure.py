"""Warn about required choices that give a patient who does not know no way to say so."""

from __future__ import annotations

from .rules import Path, Problem
from .schema import GroupItem, Questionnaire

# An option with one of these values is a way out for a patient who does not know.
UNSURE_VALUES = frozenset(
    {"not_sure", "unsure", "dont_know", "unknown", "dont_remember", "prefer_not_to_say"}
)


def unsure_warnings(questionnaire: Questionnaire) -> list[Problem]:
    """Return a warning for each required choice with no "Not sure" (or similar) answer."""
    warnings: list[Problem] = []
    for s, section in enumerate(questionnaire.sections):
        for i, item in enumerate(section.items):
            path: Path = ("sections", s, "items", i)
            if isinstance(item, GroupItem):
                for c, child in enumerate(item.items):
                    warnings += _check((*path, "items", c), child)
            else:
                warnings += _check(path, item)
    return warnings


def _check(path: Path, item) -> list[Problem]:
    if not getattr(item, "required", False):
        return []
    if item.type == "yes_no" and not item.not_sure:
        return [Problem(path, "a required yes/no question with no 'Not sure': add not_sure: true")]
    options = getattr(item, "options", None)
    if options is None or any(option.value in UNSURE_VALUES for option in options):
        return []
    return [
        Problem(
            (*path, "options"),
            "a required choice with no way to say 'Not sure': add an option with value not_sure "
            "(or dont_know, unsure, unknown, dont_remember, prefer_not_to_say)",
        )
    ]
