"""Say in plain words when a conditional question is asked: "if you answered “Yes” to “…”"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .schema import AllCondition, AnyCondition, ItemCondition

_COMPARED = {
    "gt": lambda: _("if your answer to %(question)s is more than %(number)s"),
    "gte": lambda: _("if your answer to %(question)s is at least %(number)s"),
    "lt": lambda: _("if your answer to %(question)s is less than %(number)s"),
    "lte": lambda: _("if your answer to %(question)s is at most %(number)s"),
}


def asked_when(condition, items: dict[str, Any]) -> str:
    """Return when an item with this `show_if` is asked, as words: "if you answered …"."""
    if condition is None:
        return ""
    if isinstance(condition, AllCondition | AnyCondition):
        joiner, parts = (
            (_(" and "), condition.all)
            if isinstance(condition, AllCondition)
            else (
                _(" or "),
                condition.any,
            )
        )
        merged = _same_question_choices(parts, items, joiner)
        return merged or joiner.join(asked_when(part, items) for part in parts)
    assert isinstance(condition, ItemCondition)
    target = items.get(condition.item)
    question = f"“{target.text if target else condition.item}”"
    name, value = condition.operator
    if name == "answered":
        if value:
            return _("if you answered %(question)s") % {"question": question}
        return _("if you left %(question)s blank") % {"question": question}
    if name in _COMPARED:
        return _COMPARED[name]() % {"question": question, "number": _number(value)}
    values = value if isinstance(value, list) else [value]
    chosen = _(" or ").join(f"“{_label(target, one)}”" for one in values)
    if name == "includes":
        return _("if you chose %(chosen)s for %(question)s") % {
            "chosen": chosen,
            "question": question,
        }
    words = {"chosen": chosen, "question": question}
    return _("if you answered %(chosen)s to %(question)s") % words


def cue(condition, items: dict[str, Any]) -> str:
    """Return the visible cue for a conditional question: "Answer only if you answered …"."""
    when = asked_when(condition, items)
    return _("Answer only %(when)s.") % {"when": when} if when else ""


def unasked_message(condition, items: dict[str, Any]) -> str:
    """Return the message for an answer to a question that was not asked."""
    return _(
        "You answered this, but it is only asked %(when)s. "
        "Clear this answer or change that one; or press Next again to leave it out."
    ) % {"when": asked_when(condition, items)}


def _same_question_choices(parts, items: dict[str, Any], joiner: str) -> str:
    """Say "if you chose “Left calf” and “Right calf” for “…”" for tests of one question."""
    tests = [part for part in parts if isinstance(part, ItemCondition)]
    if len(tests) != len(parts) or len({(t.item, t.operator[0]) for t in tests}) != 1:
        return ""
    if tests[0].operator[0] != "includes":
        return ""
    target = items.get(tests[0].item)
    chosen = joiner.join(f"“{_label(target, t.operator[1])}”" for t in tests)
    question = f"“{target.text if target else tests[0].item}”"
    return _("if you chose %(chosen)s for %(question)s") % {"chosen": chosen, "question": question}


def _label(target, value) -> str:
    if target is None:
        return str(value)
    if target.type == "yes_no":
        return {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")}.get(
            str(value), str(value)
        )
    options = getattr(target, "options", None) or ()
    return next((option.label for option in options if option.value == value), str(value))


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
