"""Rules a definition must follow that span more than one field: ids, conditions, bounds.

The pydantic models check each field on its own; these checks need the whole questionnaire
(an item a condition names must exist and come earlier, an option a condition compares with
must be one of that item's options, and so on). Each problem is returned with the path of the
thing at fault, never raised, so that a file's every problem can be reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .body_map import AREA_IDS
from .schema import (
    CHOICE_TYPES,
    COMPARISONS,
    NUMBER_TYPES,
    AllCondition,
    AnyCondition,
    DecimalItem,
    GroupItem,
    IntegerItem,
    ItemCondition,
    Questionnaire,
    ScaleItem,
    YesNoItem,
)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


@dataclass(frozen=True)
class _Scope:
    """The items a condition may name: earlier ones, and earlier siblings inside a group."""

    outer: dict[str, object]
    row: dict[str, object]

    def find(self, item_id: str):
        return self.row.get(item_id) or self.outer.get(item_id)


def check_rules(questionnaire: Questionnaire) -> list[Problem]:
    """Return every cross-item problem of a structurally valid questionnaire."""
    problems: list[Problem] = []
    every_id = _every_id(questionnaire)
    seen_sections: set[str] = set()
    seen_items: dict[str, object] = {}

    for s, section in enumerate(questionnaire.sections):
        section_path: Path = ("sections", s)
        if section.id in seen_sections:
            problems.append(Problem((*section_path, "id"), f"duplicate section id '{section.id}'"))
        seen_sections.add(section.id)
        if section.show_if is not None:
            scope = _Scope(outer=dict(seen_items), row={})
            path = (*section_path, "show_if")
            problems += _check_condition(section.show_if, scope, every_id, path)

        for i, item in enumerate(section.items):
            item_path: Path = (*section_path, "items", i)
            problems += _check_item(item, _Scope(dict(seen_items), {}), every_id, item_path)
            if item.id in seen_items:
                problems.append(Problem((*item_path, "id"), f"duplicate item id '{item.id}'"))
            if not isinstance(item, GroupItem):
                seen_items[item.id] = item
                continue
            problems += _check_group(item, item_path)
            row: dict[str, object] = {}
            for c, child in enumerate(item.items):
                child_path: Path = (*item_path, "items", c)
                problems += _check_item(child, _Scope(dict(seen_items), row), every_id, child_path)
                if child.id in seen_items or child.id in row or child.id == item.id:
                    problems.append(Problem((*child_path, "id"), f"duplicate item id '{child.id}'"))
                row[child.id] = child
            # Items inside a repeating group have one answer per entry, so later items outside
            # the group cannot name them; a plain group's items are ordinary items.
            seen_items[item.id] = item
            if not item.repeats:
                seen_items.update(row)
    return problems


def _every_id(questionnaire: Questionnaire) -> dict[str, bool]:
    """Return every item id, mapped to whether it is inside a repeating group."""
    return {item.id: bool(group and group.repeats) for _, group, item in questionnaire.iter_items()}


def _check_item(item, scope: _Scope, every_id: dict[str, bool], path: Path) -> list[Problem]:
    problems: list[Problem] = []
    if item.show_if is not None:
        problems += _check_condition(item.show_if, scope, every_id, (*path, "show_if"))
    if isinstance(item, IntegerItem | DecimalItem | ScaleItem):
        low, high = item.min, item.max
        if low is not None and high is not None and low >= high:
            problems.append(Problem((*path, "min"), f"min ({low}) must be below max ({high})"))
    if getattr(item, "key", False) and item.type in ("display", "group"):
        problems.append(Problem((*path, "key"), f"a {item.type} item takes no answer to list"))
    options = getattr(item, "options", None)
    if options is not None:
        problems += _check_options(item, path)
    if getattr(item, "display", "list") == "body_map" and not any(
        option.value in AREA_IDS for option in item.options
    ):
        problems.append(
            Problem(
                (*path, "display"),
                "a body_map needs options whose values are body areas, for example calf_left; "
                "the areas are: " + ", ".join(sorted(AREA_IDS)),
            )
        )
    if getattr(item, "details", None):
        problems += _check_details(item, scope, every_id, path)
    return problems


def _check_details(item, scope: _Scope, every_id: dict[str, bool], path: Path) -> list[Problem]:
    """Check the follow-ups asked for each chosen option, as the items of one entry."""
    problems: list[Problem] = []
    if all(child.type == "display" for child in item.details):
        problems.append(Problem((*path, "details"), "'details' needs at least one question"))
    entry: dict[str, object] = {}
    for d, child in enumerate(item.details):
        child_path: Path = (*path, "details", d)
        inner = _Scope(dict(scope.outer, **{item.id: item}), entry)
        problems += _check_item(child, inner, every_id, child_path)
        if child.id in entry or child.id == item.id:
            problems.append(Problem((*child_path, "id"), f"duplicate item id '{child.id}'"))
        if getattr(child, "key", False):
            problems.append(
                Problem((*child_path, "key"), "a follow-up has one answer per choice to list")
            )
        entry[child.id] = child
    return problems


def _check_options(item, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    values: set[str] = set()
    for o, option in enumerate(item.options):
        option_path: Path = (*path, "options", o)
        if option.value in values:
            problems.append(
                Problem((*option_path, "value"), f"duplicate option value '{option.value}'")
            )
        values.add(option.value)
        if option.exclusive and item.type != "multi_choice":
            problems.append(
                Problem((*option_path, "exclusive"), "'exclusive' only applies to multi_choice")
            )
    if sum(option.other for option in item.options) > 1:
        problems.append(Problem((*path, "options"), "only one option can be 'other'"))
    return problems


def _check_group(group: GroupItem, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    if not group.repeats:
        for name in ("min_items", "max_items", "entry_label", "add_label"):
            if getattr(group, name) is not None:
                problems.append(Problem((*path, name), f"'{name}' needs 'repeats: true'"))
        if group.title_from:
            problems.append(Problem((*path, "title_from"), "'title_from' needs 'repeats: true'"))
    low, high = group.min_items, group.max_items
    if low is not None and high is not None and low > high:
        problems.append(
            Problem((*path, "min_items"), f"min_items ({low}) is above max_items ({high})")
        )
    children = {child.id for child in group.items}
    for t, name in enumerate(group.title_from):
        if name not in children:
            problems.append(
                Problem((*path, "title_from", t), f"'{name}' is not an item of this group")
            )
    if group.repeats:
        for c, child in enumerate(group.items):
            if getattr(child, "details", None):
                problems.append(
                    Problem(
                        (*path, "items", c, "details"),
                        "follow-ups per choice cannot be asked inside a repeating group",
                    )
                )
    if group.show_if is None and all(child.type == "display" for child in group.items):
        problems.append(Problem((*path, "items"), "a group needs at least one question"))
    return problems


def _check_condition(
    condition, scope: _Scope, every_id: dict[str, bool], path: Path
) -> list[Problem]:
    if isinstance(condition, AllCondition | AnyCondition):
        kind = "all" if isinstance(condition, AllCondition) else "any"
        problems: list[Problem] = []
        for n, part in enumerate(getattr(condition, kind)):
            problems += _check_condition(part, scope, every_id, (*path, kind, n))
        return problems
    assert isinstance(condition, ItemCondition)
    target = scope.find(condition.item)
    if target is None:
        return [Problem((*path, "item"), _unreachable(condition.item, every_id))]
    return _check_operator(condition, target, path)


def _unreachable(item_id: str, every_id: dict[str, bool]) -> str:
    if item_id not in every_id:
        return f"condition refers to an unknown item '{item_id}'"
    if every_id[item_id]:
        return (
            f"condition refers to '{item_id}', an item inside a repeating group; "
            "only later items of the same entry can use its answer"
        )
    return (
        f"condition refers to a later item '{item_id}'; "
        "a condition can only use answers to earlier items"
    )


def _check_operator(condition: ItemCondition, target, path: Path) -> list[Problem]:
    name, value = condition.operator
    if target.type in ("display", "group", "media"):
        return [Problem((*path, "item"), f"'{target.id}' is a {target.type} and has no answer")]
    if name == "answered":
        return []
    if name in ("equals", "in") and target.type == "multi_choice":
        return [Problem((*path, name), f"use 'includes' to test a multi_choice item, not '{name}'")]
    if name == "includes" and target.type != "multi_choice":
        return [Problem((*path, "includes"), "'includes' needs a multi_choice item")]
    if name in COMPARISONS and target.type not in NUMBER_TYPES:
        return [Problem((*path, name), f"'{name}' needs a number item, not {target.type}")]
    allowed = _allowed_values(target)
    if allowed is None:
        return []
    values = value if isinstance(value, list) else [value]
    wrong = [v for v in values if v not in allowed]
    if wrong:
        return [
            Problem(
                (*path, name),
                f"{wrong[0]!r} is not an answer of '{target.id}' (choose from: "
                + ", ".join(sorted(allowed))
                + ")",
            )
        ]
    return []


def _allowed_values(target) -> set[str] | None:
    if target.type in CHOICE_TYPES:
        return {option.value for option in target.options}
    if isinstance(target, YesNoItem):
        return {"yes", "no", "not_sure"} if target.not_sure else {"yes", "no"}
    return None
