"""Map a questionnaire definition to a FHIR R4 Questionnaire, `show_if` to `enableWhen`.

Plain Python over `intake.questionnaires.schema`: no requests, no ORM. Every item keeps its id
as `linkId`; sections become groups. The follow-ups of a choice with details are child items of
the choice (`tried.details.helped`): a response nests them under each chosen answer. A condition
FHIR R4 cannot say without FHIRPath (an `all` inside an `any`, an `in` inside an `all`) is
refused when the definition is loaded, by `condition_problems`, so every stored version exports.
"""

from __future__ import annotations

import math
from typing import Any

from ..questionnaires.rules import Problem
from ..questionnaires.schema import (
    AllCondition,
    AnyCondition,
    GroupItem,
    ItemCondition,
    Questionnaire,
)
from .fhir_translation import add_translations
from .item_types import (
    EXTENSION,
    YES_NO_CODINGS,
    item_control,
    linked_details,
    mapping_for,
    option_system,
)

OTHER_SUFFIX = ".other"
HELP_SUFFIX = ".help"
INTRO_SUFFIX = ".intro"
OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class NotExpressible(ValueError):
    """A condition FHIR R4 `enableWhen` cannot express without FHIRPath."""


def canonical_url(base_url: str, slug: str) -> str:
    """Return a questionnaire's canonical URL (the same for every version)."""
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{slug}"


def fhir_questionnaire(
    questionnaire: Questionnaire, *, version: int, url: str, date: str | None = None
) -> dict[str, Any]:
    """Return the FHIR R4 Questionnaire of one version of a definition."""
    items = _Mapper(questionnaire, url)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{questionnaire.id.replace('_', '-')}-{version}",
        "url": url,
        "version": str(version),
        "name": questionnaire.id,
        "title": questionnaire.title,
        "status": "active",
    }
    if date:
        resource["date"] = date
    if questionnaire.description:
        resource["description"] = questionnaire.description
    resource["item"] = [items.section(section) for section in questionnaire.sections]
    return add_translations(resource, questionnaire)


class _Mapper:
    def __init__(self, questionnaire: Questionnaire, url: str):
        self.url = url
        self.items = questionnaire.item_index()

    def section(self, section) -> dict:
        item = {"linkId": section.id, "text": section.title, "type": "group"}
        self.condition(item, section.show_if)
        children = []
        if section.intro:
            children.append(
                {"linkId": section.id + INTRO_SUFFIX, "text": section.intro, "type": "display"}
            )
        children += [self.item(child) for child in section.items]
        item["item"] = children
        return item

    def item(self, item, scope: dict | None = None) -> dict:
        if isinstance(item, GroupItem):
            return self.group(item)
        if item.type == "display":
            result = {"linkId": item.id, "text": item.text, "type": "display"}
            self.condition(result, item.show_if, scope)
            return result
        if item.type == "media":
            # The files are kept beside the answers; the API serves them to clinicians.
            result = {"linkId": item.id, "text": item.text, "type": "attachment"}
            if item.max_count > 1:
                result["repeats"] = True
            self.condition(result, item.show_if)
            return result
        mapping = mapping_for(item)
        definition = mapping.define(item, self.url)
        result = {"linkId": item.id, "text": item.text, "type": mapping.fhir_type}
        if definition.get("extension"):
            result["extension"] = definition["extension"]
        self.condition(result, item.show_if, scope)
        if item.required:
            result["required"] = True
        for key, value in definition.items():
            if key not in ("extension", "item"):
                result[key] = value
        children = list(definition.get("item", []))
        other = next((o for o in getattr(item, "options", ()) if o.other), None)
        if other is not None:
            children.append(self.other_item(item, other))
        if item.help:
            children.append(_help(item.id, item.help))
        children += self.details(item)
        if children:
            result["item"] = children
        return result

    def details(self, item) -> list[dict]:
        """Return the follow-ups of a choice, each asked once under every chosen answer."""
        children = []
        for detail, scope in detail_scopes(item, self.items):
            children.append(self.item(detail, scope))
        return children

    def group(self, group: GroupItem) -> dict:
        result: dict[str, Any] = {"linkId": group.id, "text": group.text, "type": "group"}
        extensions = []
        if group.repeats and group.min_items:
            extensions.append(
                {"url": EXTENSION + "questionnaire-minOccurs", "valueInteger": group.min_items}
            )
        if group.repeats:
            extensions.append(
                {"url": EXTENSION + "questionnaire-maxOccurs", "valueInteger": group.max_entries}
            )
        if extensions:
            result["extension"] = extensions
        self.condition(result, group.show_if)
        if group.required:
            result["required"] = True
        if group.repeats:
            result["repeats"] = True
        children = [_help(group.id, group.help)] if group.help else []
        result["item"] = children + [self.item(child) for child in group.items]
        return result

    def other_item(self, item, other) -> dict:
        coding = {
            "system": option_system(self.url, item),
            "code": other.value,
            "display": other.label,
        }
        return {
            "linkId": item.id + OTHER_SUFFIX,
            "text": f"{other.label}: please describe",
            "type": "string",
            "enableWhen": [{"question": item.id, "operator": "=", "answerCoding": coding}],
            "maxLength": 200,
        }

    def condition(self, result: dict, condition, scope: dict | None = None) -> None:
        if condition is None:
            return
        enable_when, behavior = enable_when_of(condition, scope or self.items, self.url)
        result["enableWhen"] = enable_when
        if len(enable_when) > 1:
            result["enableBehavior"] = behavior


def _help(item_id: str, text: str) -> dict:
    return {
        "linkId": item_id + HELP_SUFFIX,
        "text": text,
        "type": "display",
        "extension": [item_control("help")],
    }


def detail_scopes(item, items: dict) -> list[tuple[Any, dict]]:
    """Return each follow-up (under its linkId) with the items its condition may name.

    As in the engine, a follow-up's condition names earlier follow-ups of the same option by
    their own ids (found first), or items outside; the scope maps the id to the renamed copy, so
    `enableWhen.question` is the follow-up's linkId in the same answer.
    """
    scopes, earlier = [], {}
    for detail, linked in linked_details(item):
        scopes.append((linked, {**items, **earlier}))
        earlier[detail.id] = linked
    return scopes


# --- conditions -----------------------------------------------------------------------------


def enable_when_of(condition, items: dict, url: str) -> tuple[list[dict], str]:
    """Return (enableWhen list, enableBehavior) for a condition, or raise `NotExpressible`."""
    if isinstance(condition, ItemCondition):
        parts = _tests(condition, items, url)
        return parts, "any"
    kind = "all" if isinstance(condition, AllCondition) else "any"
    parts: list[dict] = []
    for part in _flatten(condition, kind):
        tests = _tests(part, items, url)
        if len(tests) > 1 and kind == "all":
            raise NotExpressible(
                "an 'in' inside 'all' needs FHIRPath in FHIR R4; list the answers with 'any' "
                "or use one value"
            )
        parts += tests
    return parts, kind


def _flatten(condition, kind: str) -> list[ItemCondition]:
    parts = []
    for part in getattr(condition, kind):
        if isinstance(part, ItemCondition):
            parts.append(part)
        elif isinstance(part, AllCondition if kind == "all" else AnyCondition):
            parts += _flatten(part, kind)
        else:
            raise NotExpressible(
                f"'{'any' if kind == 'all' else 'all'}' inside '{kind}' needs FHIRPath in FHIR R4;"
                " write the condition as one 'all' or one 'any' list"
            )
    return parts


def _tests(condition: ItemCondition, items: dict, url: str) -> list[dict]:
    name, value = condition.operator
    target = items[condition.item]
    question = target.id  # a follow-up's linkId when the condition names an earlier follow-up
    if name == "answered":
        return [{"question": question, "operator": "exists", "answerBoolean": bool(value)}]
    if name in OPERATORS:
        key, number = _number_answer(target, name, value)
        return [{"question": question, "operator": OPERATORS[name], key: number}]
    values = value if name == "in" else [value]
    return [{"question": question, "operator": "=", **_answer(target, one, url)} for one in values]


def _answer(target, value, url: str) -> dict:
    if target.type == "yes_no":
        if value not in YES_NO_CODINGS:
            raise NotExpressible(f"{value!r} is not an answer of a yes/no question")
        return {"answerCoding": YES_NO_CODINGS[value]}
    if target.type in ("single_choice", "multi_choice"):
        label = next(o.label for o in target.options if o.value == value)
        return {
            "answerCoding": {"system": option_system(url, target), "code": value, "display": label}
        }
    key = mapping_for(target).answer_key.replace("value", "answer")
    if key in ("answerInteger",) and not (isinstance(value, int) and not isinstance(value, bool)):
        raise NotExpressible(f"{value!r} is not a whole number")
    if key == "answerDecimal" and isinstance(value, bool | str):
        raise NotExpressible(f"{value!r} is not a number")
    if key in ("answerString", "answerDate") and not isinstance(value, str):
        raise NotExpressible(f"{value!r} is not text")
    return {key: value}


def _number_answer(target, name: str, value: float) -> tuple[str, float | int]:
    """Compare a whole-number item with a whole bound: `gt 2.5` is `> 2`, `gte 2.5` is `>= 3`."""
    if mapping_for(target).answer_key == "valueDecimal":
        return "answerDecimal", float(value)
    rounded = math.floor(value) if name in ("gt", "lte") else math.ceil(value)
    return "answerInteger", int(rounded)


def condition_problems(questionnaire: Questionnaire) -> list[Problem]:
    """Return a problem for every `show_if` FHIR R4 cannot express; checked when loading."""
    items = questionnaire.item_index()
    problems: list[Problem] = []
    for path, thing, scope in _conditions(questionnaire, items):
        try:
            _refuse_ambiguous(thing.show_if, scope, items)
            enable_when_of(thing.show_if, scope, "urn:check")
        except NotExpressible as refusal:
            message = f"cannot be exported to FHIR R4: {refusal}"
            problems.append(Problem((*path, "show_if"), message))
        except (KeyError, StopIteration):
            continue  # an unknown item or option: check_rules reports it
    return problems


def _conditions(questionnaire: Questionnaire, items: dict):
    """Yield (path, thing, scope) for every section, item and follow-up with a `show_if`."""
    for s, section in enumerate(questionnaire.sections):
        places = [(("sections", s), section)]
        for i, item in enumerate(section.items):
            places.append((("sections", s, "items", i), item))
            if isinstance(item, GroupItem):
                places += [
                    (("sections", s, "items", i, "items", c), child)
                    for c, child in enumerate(item.items)
                ]
        for path, thing in places:
            if thing.show_if is not None:
                yield path, thing, items
            for d, (detail, scope) in enumerate(detail_scopes(thing, items)):
                if detail.show_if is not None:
                    yield (*path, "details", d), detail, scope


def _refuse_ambiguous(condition, scope: dict, items: dict) -> None:
    """Refuse a follow-up's condition naming an id that is also an item outside.

    The engine reads the follow-up's answer when it has one and the outside item's otherwise;
    an `enableWhen` names one linkId, so the two readings cannot both be said.
    """
    for part in _item_conditions(condition):
        if part.item in items and scope[part.item] is not items[part.item]:
            raise NotExpressible(
                f"'{part.item}' is both an earlier follow-up and an item outside; "
                "rename the follow-up so the condition names one of them"
            )


def _item_conditions(condition) -> list[ItemCondition]:
    if isinstance(condition, ItemCondition):
        return [condition]
    parts = condition.all if isinstance(condition, AllCondition) else condition.any
    return [one for part in parts for one in _item_conditions(part)]
