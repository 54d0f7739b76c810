"""Read one page's form into answers, and name form fields after items.

Field names: an item's id (`pain_now`); its "Other" text `pain_now.other`; a month/year's parts
`started-month` and `started-year`; an entry of a repeating group `surgery_list-0-kind`, with
its stable id in `surgery_list-0-_id`; a follow-up of a chosen option `tried-magnesium-helped`,
with the option's stable id in `tried-magnesium-_id`. That hidden id is in each block of
follow-ups the page holds, so its presence also says which blocks the patient saw.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from ..questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX, ROW_ID_KEY
from ..questionnaires.schema import NO_ANSWER_TYPES, GroupItem, Section

ROW_SCAN_LIMIT = 100


def page_items(section: Section):
    """Yield the section's items, opening plain groups into their items."""
    for item in section.items:
        if isinstance(item, GroupItem) and not item.repeats:
            yield from item.items
        else:
            yield item


def row_prefix(group_id: str, index: int) -> str:
    return f"{group_id}-{index}-"


def details_prefix(item_id: str, option_value: str) -> str:
    return f"{item_id}-{option_value}-"


def answers_from_form(section: Section, post: QueryDict, stored: dict[str, Any]) -> dict:
    """Return the stored answers with this page's items replaced by what the form sent."""
    answers = dict(stored)
    for item in page_items(section):
        if item.type in NO_ANSWER_TYPES:
            continue
        if isinstance(item, GroupItem):
            _put(answers, item.id, rows_from_form(item, post))
            continue
        _put(answers, item.id, field_value(item, post, ""))
        _put(answers, item.id + OTHER_SUFFIX, post.get(item.id + OTHER_SUFFIX, "").strip())
        if getattr(item, "details", None):
            _put(answers, item.id + DETAILS_SUFFIX, details_from_form(item, post))
    return answers


def details_from_form(item, post: QueryDict) -> dict[str, dict]:
    """Return the follow-ups the page sent, by option (cleaning ignores unticked empty ones)."""
    details = {}
    for option in item.options:
        prefix = details_prefix(item.id, option.value)
        if prefix + ROW_ID_KEY not in post:
            continue
        entry: dict[str, Any] = {ROW_ID_KEY: post.get(prefix + ROW_ID_KEY, "")}
        for child in item.details:
            if child.type == "display":
                continue
            _put(entry, child.id, field_value(child, post, prefix))
            _put(entry, child.id + OTHER_SUFFIX, post.get(prefix + child.id + OTHER_SUFFIX, ""))
        details[option.value] = entry
    return details


def details_not_on_page(
    section: Section, post: QueryDict, answers: dict[str, Any] | None = None
) -> dict[str, list[str]]:
    """Return, by item, the options ticked whose follow-ups were not on the page sent.

    A page holds the follow-ups of the options ticked when it was drawn; the page's script adds
    those of an option ticked later. Without it, the patient has not seen their questions yet.
    With `answers` (as saved), only options ticked there count: a question not asked has none.
    """
    missing = {}
    for item in page_items(section):
        if not getattr(item, "details", None):
            continue
        ticked = post.getlist(item.id) if answers is None else answers.get(item.id, [])
        values = [
            option.value
            for option in item.options
            if option.value in ticked
            and details_prefix(item.id, option.value) + ROW_ID_KEY not in post
        ]
        if values:
            missing[item.id] = values
    return missing


def rows_from_form(group: GroupItem, post: QueryDict) -> list[dict]:
    rows = []
    for index in range(ROW_SCAN_LIMIT):
        prefix = row_prefix(group.id, index)
        if prefix + ROW_ID_KEY not in post:
            break
        row: dict[str, Any] = {ROW_ID_KEY: post.get(prefix + ROW_ID_KEY, "")}
        for child in group.items:
            if child.type == "display":
                continue
            _put(row, child.id, field_value(child, post, prefix))
            _put(row, child.id + OTHER_SUFFIX, post.get(prefix + child.id + OTHER_SUFFIX, ""))
        rows.append(row)
    return rows


def field_value(item, post: QueryDict, prefix: str) -> Any:
    name = prefix + item.id
    if item.type == "multi_choice":
        return post.getlist(name)
    if item.type == "month_year":
        year = post.get(name + "-year", "").strip()
        month = post.get(name + "-month", "").strip()
        if not year and not month:
            return ""
        return f"{year}-{month}" if month else year
    return post.get(name, "")


def _put(answers: dict, key: str, value: Any) -> None:
    if isinstance(value, str):
        value = value.strip()
    if value in ("", [], None):
        answers.pop(key, None)
    else:
        answers[key] = value
