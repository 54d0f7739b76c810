"""Answers as long-format CSV rows (one row per answer value), and read back from them.

Plain Python. A repeat entry keeps its stable `_id` in `entry_id` and its place in `entry_order`
(1, 2, ...), so an analyst can follow one surgery across exports. A choice with details is
written the same way: each chosen option's row carries that option's `_id` and place, and its
follow-ups follow with the same entry id, the path `section/tried/magnesium/helped` and the item
id `tried.details.helped` (the FHIR linkId). A cell a spreadsheet would run
as a formula (starting with =, +, -, @, a tab or a return, unless it is a plain number) is
written with a leading apostrophe; so is a cell already starting with one, which keeps reading
back exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..questionnaires.cleaning import DETAILS_SUFFIX, ROW_ID_KEY
from ..questionnaires.conditions import is_answered
from ..questionnaires.schema import NO_ANSWER_TYPES, GroupItem, Questionnaire
from .fhir import OTHER_SUFFIX
from .item_types import DETAILS_INFIX, linked_details, mapping_for

COLUMNS = (
    "intake_id",
    "clinic_reference",
    "questionnaire",
    "version",
    "item_path",
    "item_id",
    "entry_id",
    "entry_order",
    "value",
    "value_label",
    "date_precision",
    "other_text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


@dataclass(frozen=True)
class ResponseRef:
    """Which intake and questionnaire version the rows belong to."""

    intake_id: str
    clinic_reference: str
    slug: str
    version: int


def safe_cell(text: str) -> str:
    """Return a cell a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def read_cell(text: str) -> str:
    """Return the text `safe_cell` was given."""
    return text[1:] if text.startswith("'") else text


def answer_rows(ref: ResponseRef, questionnaire: Questionnaire, answers: dict) -> Iterator[list]:
    """Yield one row per answer value, in document order, cells already made safe."""
    for section in questionnaire.sections:
        for item in section.items:
            path = f"{section.id}/{item.id}"
            if not isinstance(item, GroupItem):
                yield from _item_rows(ref, item, path, answers, "", "")
            elif not item.repeats:
                for child in item.items:
                    yield from _item_rows(ref, child, f"{path}/{child.id}", answers, "", "")
            else:
                for order, row in enumerate(answers.get(item.id) or [], start=1):
                    for child in item.items:
                        child_path = f"{path}/{child.id}"
                        yield from _item_rows(ref, child, child_path, row, row[ROW_ID_KEY], order)


def _item_rows(ref: ResponseRef, item, path: str, answers: dict, entry_id: str, order):
    if item.type in NO_ANSWER_TYPES or not is_answered(answers.get(item.id)):
        return
    if getattr(item, "details", None):
        yield from _choice_rows(ref, item, path, answers)
        return
    for cell in mapping_for(item).cells(item, answers[item.id]):
        yield _row(ref, item, path, answers, item.id, entry_id, order, cell)


def _choice_rows(ref: ResponseRef, item, path: str, answers: dict):
    """Yield a choice with details: each option's row, then its follow-ups, one entry each."""
    details = answers.get(item.id + DETAILS_SUFFIX) or {}
    for order, cell in enumerate(mapping_for(item).cells(item, answers[item.id]), start=1):
        entry = details.get(cell.value) or {}
        entry_id = entry.get(ROW_ID_KEY, "")
        yield _row(ref, item, path, answers, item.id, entry_id, order, cell)
        for detail, linked in linked_details(item):
            if detail.type == "display" or not is_answered(entry.get(detail.id)):
                continue
            detail_path = f"{path}/{cell.value}/{detail.id}"
            for detail_cell in mapping_for(detail).cells(detail, entry[detail.id]):
                yield _row(ref, detail, detail_path, entry, linked.id, entry_id, order, detail_cell)


def _row(ref: ResponseRef, item, path: str, answers: dict, item_id: str, entry_id, order, cell):
    """Return one CSV row, cells made safe; `item` is the definition, `answers` where it sits."""
    other_text = answers.get(item.id + OTHER_SUFFIX, "")
    other = next((o.value for o in getattr(item, "options", ()) if o.other), None)
    row = [
        ref.intake_id,
        ref.clinic_reference,
        ref.slug,
        ref.version,
        path,
        item_id,
        entry_id,
        order,
        cell.value,
        cell.label,
        cell.precision,
        other_text if cell.value == other else "",
    ]
    return [safe_cell(value) if isinstance(value, str) else value for value in row]


def answers_from_rows(questionnaire: Questionnaire, rows: Iterable[dict]) -> dict[str, Any]:
    """Return the stored answers of one response's CSV rows (dicts keyed by COLUMNS)."""
    parents = {item.id: group for _, group, item in questionnaire.iter_items()}
    definitions = questionnaire.item_index()
    values: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        row = {key: read_cell(value) for key, value in row.items()}
        item = definitions.get(row["item_id"])
        # A choice with details is one answer whatever entry each of its options opens.
        entry_id = "" if getattr(item, "details", None) else row["entry_id"]
        values.setdefault((entry_id, row["item_id"]), []).append(row)
    answers: dict[str, Any] = {}
    entries: dict[tuple[str, str], tuple[int, dict]] = {}  # by group: ids are unique per group
    # (the choice's item id, a chosen option's entry id): its stored details. Entry ids are unique
    # within one item only, so two items' options may share one.
    follow_ups: dict[tuple[str, str], dict] = {}
    for (entry_id, item_id), cells in values.items():
        if DETAILS_INFIX in item_id:
            parent, detail_id = item_id.split(DETAILS_INFIX)
            detail = next(d for d in definitions[parent].details if d.id == detail_id)
            _store(detail, cells, follow_ups[parent, entry_id])
            continue
        item = definitions[item_id]
        target = answers
        group = parents[item_id]
        if entry_id and group is not None:
            order, target = entries.setdefault(
                (group.id, entry_id), (int(cells[0]["entry_order"]), {"__group": group.id})
            )
        _store(item, cells, target)
        if entry_id:
            target[ROW_ID_KEY] = entry_id
        if getattr(item, "details", None):
            details = {
                cell["value"]: follow_ups.setdefault(
                    (item_id, cell["entry_id"]), {ROW_ID_KEY: cell["entry_id"]}
                )
                for cell in cells
                if cell["entry_id"]
            }
            if details:
                target[item_id + DETAILS_SUFFIX] = details
    for _, row in sorted(entries.values(), key=lambda pair: pair[0]):
        group_id = row.pop("__group")
        answers.setdefault(group_id, []).append(row)
    return answers


def _store(item, cells: list[dict], target: dict) -> None:
    """Store an item's value from its rows, and its "Other" text if one is given."""
    target[item.id] = mapping_for(item).read_cells(item, [cell["value"] for cell in cells])
    other_text = next((cell["other_text"] for cell in cells if cell["other_text"]), "")
    if other_text:
        target[item.id + OTHER_SUFFIX] = other_text
