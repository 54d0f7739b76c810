"""Evaluate `show_if` conditions against answers.

A condition reads answers only; it never derives anything about the patient. The answers passed
in must already be cleaned in document order, so an item hidden by its own condition has no
answer here and every condition that depends on it is false.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import AllCondition, AnyCondition, ItemCondition


def is_shown(condition, answers: Mapping[str, Any], row: Mapping[str, Any] | None = None) -> bool:
    """Return whether an item (or section) with this `show_if` is shown; None means always."""
    if condition is None:
        return True
    if isinstance(condition, AllCondition):
        return all(is_shown(part, answers, row) for part in condition.all)
    if isinstance(condition, AnyCondition):
        return any(is_shown(part, answers, row) for part in condition.any)
    assert isinstance(condition, ItemCondition)
    value = row[condition.item] if row and condition.item in row else answers.get(condition.item)
    return _test(condition, value)


def is_answered(value: Any) -> bool:
    """Return whether a cleaned value holds an answer."""
    return value not in (None, "", [], {})


def _test(condition: ItemCondition, value: Any) -> bool:
    name, expected = condition.operator
    if name == "answered":
        return is_answered(value) == expected
    if name == "equals":
        return value == expected
    if name == "in":
        return not isinstance(value, list) and value in expected
    if name == "includes":
        return isinstance(value, list) and expected in value
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return {
        "gt": value > expected,
        "gte": value >= expected,
        "lt": value < expected,
        "lte": value <= expected,
    }[name]
