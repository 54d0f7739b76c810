"""Answers as long-format CSV rows (one row per answer value), and read back from them.

Plain Python. A repeat entry keeps its stable `_id` in `entry_id` and its place in `entry_order`
(1, 2, ...), so an analyst can follow one surgery across exports. A cell a spreadsheet would run
as a formula (starting with =, +, -, @, a tab or a return, unless it is a plain number) is
written with a leading apostrophe; so is a cell already starting with one, which keeps reading
back exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..questionnaires.cleaning import ROW_ID_KEY
from ..questionnaires.conditions import is_answered
from ..questionnaires.schema import GroupItem, Questionnaire
from .fhir import OTHER_SUFFIX
from .item_types import mapping_for

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
    if item.type == "display" or not is_answered(answers.get(item.id)):
        return
    other_text = answers.get(item.id + OTHER_SUFFIX, "")
    other = next((o.value for o in getattr(item, "options", ()) if o.other), None)
    for cell in mapping_for(item).cells(item, answers[item.id]):
        row = [
            ref.intake_id,
            ref.clinic_reference,
            ref.slug,
            ref.version,
            path,
            item.id,
            entry_id,
            order,
            cell.value,
            cell.label,
            cell.precision,
            other_text if cell.value == other else "",
        ]
        yield [safe_cell(value) if isinstance(value, str) else value for value in row]


def answers_from_rows(questionnaire: Questionnaire, rows: Iterable[dict]) -> dict[str, Any]:
    """Return the stored answers of one response's CSV rows (dicts keyed by COLUMNS)."""
    parents = {item.id: group for _, group, item in questionnaire.iter_items()}
    values: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        row = {key: read_cell(value) for key, value in row.items()}
        values.setdefault((row["entry_id"], row["item_id"]), []).append(row)
    answers: dict[str, Any] = {}
    entries: dict[str, tuple[int, dict]] = {}
    definitions = questionnaire.item_index()
    for (entry_id, item_id), cells in values.items():
        item = definitions[item_id]
        target = answers
        group = parents[item_id]
        if entry_id and group is not None:
            order, target = entries.setdefault(
                entry_id, (int(cells[0]["entry_order"]), {"__group": group.id})
            )
        target[item_id] = mapping_for(item).read_cells(item, [cell["value"] for cell in cells])
        other_text = next((cell["other_text"] for cell in cells if cell["other_text"]), "")
        if other_text:
            target[item_id + OTHER_SUFFIX] = other_text
        if entry_id:
            target[ROW_ID_KEY] = entry_id
    for _, row in sorted(entries.values(), key=lambda pair: pair[0]):
        group_id = row.pop("__group")
        answers.setdefault(group_id, []).append(row)
    return answers
