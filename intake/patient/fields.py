"""What a page's template needs for each item: names, values, choices and errors.

Templates stay dumb: each field carries its template (`patient/items/<type>.html`), its form
name and HTML ids, the value to show (what the patient typed, even when it was refused) and
its error message.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext as _

from ..questionnaires.body_map import Figure, body_map_figure
from ..questionnaires.cleaning import DETAILS_SUFFIX, OTHER_SUFFIX, ROW_ID_KEY
from ..questionnaires.conditions import is_answered
from ..questionnaires.cues import cue
from ..questionnaires.schema import GroupItem, ItemCondition, Section
from ..summary.answers import answer_text
from .forms import details_prefix, page_items, row_prefix

# Item types drawn by another type's template: a yes/no question is a two-option single choice.
SHARED_TEMPLATES = {"yes_no": "single_choice"}

# Month names in the patient's language (Django's own catalogue translates them).
MONTHS = [(f"{number:02d}", MONTH_NAMES[number]) for number in range(1, 13)]


@dataclass
class Choice:
    value: str
    label: str
    html_id: str
    checked: bool
    other: bool = False


@dataclass
class Entry:
    """One entry (card) of a repeating group."""

    index: int
    title: str
    row_id: str
    prefix: str
    fields: list[Field]


@dataclass
class Details:
    """The follow-ups of one option of a multi-choice item, shown when it is ticked."""

    value: str
    label: str
    choice_html_id: str
    row_id: str
    prefix: str
    html_id: str
    chosen: bool
    has_answers: bool
    fields: list[Field]
    template: bool = False  # the block the page's script copies, placeholders in

    @property
    def warned(self) -> bool:
        """Unticked with answers: the block says so, with a button to clear them."""
        return not self.chosen and self.has_answers


@dataclass
class Field:
    item: Any
    name: str
    html_id: str
    template: str
    value: Any = ""
    error: str = ""
    choices: list[Choice] = field(default_factory=list)
    other_name: str = ""
    other_value: str = ""
    other_error: str = ""
    month: str = ""
    year: str = ""
    show_if: str = ""
    cue: str = ""  # "Answer only if you answered “Yes” to “…”": shown without JavaScript
    entries: list[Entry] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    details: list[Details] = field(default_factory=list)  # the blocks the page holds
    details_template: Details | None = None  # copied by the page's script for a new tick
    note: str = ""  # a word beside the question ("Please tell us a little more ...")
    figure: Figure | None = None
    media: list[dict] = field(default_factory=list)  # a media item's files (patient.media)
    upload_url: str = ""  # where the page's script sends a media item's files

    @property
    def error_id(self) -> str:
        return f"{self.html_id}-error"

    @property
    def other_html_id(self) -> str:
        """The "Other" text box's id (the Other choice itself has `html_id-<value>`)."""
        return f"{self.html_id}-other-text"

    @property
    def help_id(self) -> str:
        return f"{self.html_id}-help"

    @property
    def cue_id(self) -> str:
        return f"{self.html_id}-cue"

    @property
    def note_id(self) -> str:
        return f"{self.html_id}-note"

    @property
    def described_by(self) -> str:
        ids = [self.cue_id] if self.cue else []
        if self.note:
            ids.append(self.note_id)
        if getattr(self.item, "help", None):
            ids.append(self.help_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)


def html_id(name: str) -> str:
    return "f-" + re.sub(r"[^a-zA-Z0-9_-]", "-", name)


def build_fields(
    section: Section,
    values: dict[str, Any],
    errors: dict[str, str],
    extra_rows: set[str] = frozenset(),
    items: dict[str, Any] | None = None,
    notes: dict[str, str] | None = None,
) -> list[Field]:
    """Return the fields of a page, filled with `values` (stored or just typed).

    `items` (the questionnaire's items by id) names the questions conditions depend on, for the
    cue each conditional question carries; `notes` gives a word to show beside some questions,
    by item id.
    """
    items = items or {}
    fields = [
        _field(item, values, errors, prefix="", error_prefix="", extra_rows=extra_rows, items=items)
        for item in section.items
    ]
    for one in fields:
        for question in [one, *one.children]:
            question.note = (notes or {}).get(question.name, "")
    return fields


def page_errors(fields: list[Field]) -> list[tuple[str, str]]:
    """Return (html id, message) for every error on the page, in page order."""
    found: list[tuple[str, str]] = []
    for one in fields:
        if one.error:
            found.append((one.html_id, one.error))
        if one.other_error:
            found.append((one.other_html_id, one.other_error))
        for child in one.children:
            found += page_errors([child])
        for entry in one.entries:
            found += page_errors(entry.fields)
        for block in one.details:
            found += page_errors(block.fields)
    return found


def _field(item, values, errors, *, prefix, error_prefix, extra_rows, items) -> Field:
    name = prefix + item.id
    error_key = error_prefix + item.id
    one = Field(
        item=item,
        name=name,
        html_id=html_id(name),
        template=f"patient/items/{SHARED_TEMPLATES.get(item.type, item.type)}.html",
        error=errors.get(error_key, ""),
        show_if=_condition_json(item.show_if),
        cue=cue(item.show_if, items) if items else "",
    )
    if isinstance(item, GroupItem):
        if item.repeats:
            one.entries = _entries(item, values.get(item.id), errors, item.id in extra_rows, items)
        else:
            one.children = [
                _field(
                    child,
                    values,
                    errors,
                    prefix=prefix,
                    error_prefix=error_prefix,
                    extra_rows=extra_rows,
                    items=items,
                )
                for child in item.items
            ]
            one.template = "patient/items/fieldgroup.html"
        return one
    value = values.get(item.id, "")
    one.value = value if not isinstance(value, list) else ""
    options = getattr(item, "options", None)
    if item.type == "yes_no":
        options = _yes_no_options(item)
    if options is not None:
        chosen = value if isinstance(value, list) else [value]
        one.choices = [
            Choice(
                o.value,
                o.label,
                f"{one.html_id}-{o.value}",
                o.value in chosen,
                getattr(o, "other", False),
            )
            for o in options
        ]
        one.other_name = name + OTHER_SUFFIX
        one.other_value = values.get(item.id + OTHER_SUFFIX, "")
        one.other_error = errors.get(error_key + OTHER_SUFFIX, "")
    if getattr(item, "details", None):
        one.details = _details(item, one, values.get(item.id + DETAILS_SUFFIX), errors, items)
        one.details_template = _details_template(item, one, items)
    if getattr(item, "display", "") == "body_map":
        one.figure = body_map_figure(item.options, [c.value for c in one.choices if c.checked])
        one.template = "patient/items/body_map.html"
    if item.type == "scale":
        one.choices = [
            Choice(str(n), str(n), f"{one.html_id}-{n}", str(value) == str(n))
            for n in range(item.min, item.max + 1)
        ]
    if item.type == "month_year":
        one.year, _, one.month = str(value).partition("-")
    return one


@dataclass(frozen=True)
class _Option:
    value: str
    label: str


def _yes_no_options(item) -> list[_Option]:
    options = [_Option("yes", _("Yes")), _Option("no", _("No"))]
    return options + [_Option("not_sure", _("Not sure"))] if item.not_sure else options


def _details(item, one: Field, stored: Any, errors: dict, items) -> list[Details]:
    """Return the follow-up blocks the page holds: those of ticked options, and of any option
    whose follow-ups hold answers or errors (an unticked one keeps them in view, warned)."""
    stored = stored if isinstance(stored, dict) else {}
    blocks = []
    for option, choice in zip(item.options, one.choices, strict=True):
        entry = stored.get(option.value)
        entry = entry if isinstance(entry, dict) else {}
        block = _details_block(item, one, option, entry, errors, items, chosen=choice.checked)
        if block.chosen or block.has_answers or _has_errors(block.fields):
            blocks.append(block)
    return blocks


# The block of follow-ups a page's script copies for an option ticked on the page: these stand
# for the option's value (in names and ids), its label, and the new block's stable id, which
# intake.js puts in.
TEMPLATE_OPTION, TEMPLATE_LABEL, TEMPLATE_ROW_ID = "__OPTION__", "__LABEL__", "__ROW_ID__"


def _details_template(item, one: Field, items) -> Details:
    placeholder, entry = _Option(TEMPLATE_OPTION, TEMPLATE_LABEL), {ROW_ID_KEY: TEMPLATE_ROW_ID}
    block = _details_block(item, one, placeholder, entry, {}, items, chosen=True)
    block.template = True
    return block


def _details_block(item, one: Field, option, entry: dict, errors, items, *, chosen) -> Details:
    value = option.value
    prefix = details_prefix(item.id, value)
    fields = [
        _field(
            child,
            entry,
            errors,
            prefix=prefix,
            error_prefix=f"{item.id}[{value}].",
            extra_rows=frozenset(),
            items=items,
        )
        for child in item.details
    ]
    return Details(
        value=value,
        label=option.label,
        choice_html_id=f"{one.html_id}-{value}",
        # A new id from the first keystroke, so an autosave and Next keep the same one.
        row_id=str(entry.get(ROW_ID_KEY) or secrets.token_hex(6)),
        prefix=prefix,
        html_id=html_id(prefix + "details"),
        chosen=chosen,
        has_answers=any(k != ROW_ID_KEY and is_answered(v) for k, v in entry.items()),
        fields=fields,
    )


def _has_errors(fields: list[Field]) -> bool:
    return any(one.error or one.other_error for one in fields)


def _entries(group: GroupItem, rows: Any, errors: dict, add_one: bool, items) -> list[Entry]:
    rows = list(rows) if isinstance(rows, list) else []
    if add_one or not rows:
        rows.append({ROW_ID_KEY: secrets.token_hex(6)})  # stable from the first keystroke
    entries = []
    for index, row in enumerate(rows[: group.max_entries]):
        row = row if isinstance(row, dict) else {}
        prefix = row_prefix(group.id, index)
        fields = [
            _field(
                child,
                row,
                errors,
                prefix=prefix,
                error_prefix=f"{group.id}[{index}].",
                extra_rows=frozenset(),
                items=items,
            )
            for child in group.items
        ]
        entries.append(
            Entry(
                index, entry_title(group, index, row), str(row.get(ROW_ID_KEY, "")), prefix, fields
            )
        )
    return entries


def entry_title(group: GroupItem, index: int, row: dict) -> str:
    """Return a card's title from its answers: "Surgery 2: Spine fusion, 2013"."""
    label = f"{group.entry_label or _('Entry')} {index + 1}"
    parts = []
    for item_id in group.title_from:
        child = next(c for c in group.items if c.id == item_id)
        if not is_answered(row.get(item_id)):
            continue
        try:
            text = answer_text(child, row)
        except (ValueError, KeyError, TypeError, IndexError):
            continue  # a value the patient is still correcting
        parts.append(", ".join(text) if isinstance(text, list) else text)
    return f"{label}: {', '.join(parts)}" if parts else label


def _condition_json(condition) -> str:
    if condition is None:
        return ""
    return json.dumps(_condition_data(condition), separators=(",", ":"))


def _condition_data(condition) -> dict:
    if isinstance(condition, ItemCondition):
        name, value = condition.operator
        return {"item": condition.item, name: value}
    kind = "all" if hasattr(condition, "all") else "any"
    return {kind: [_condition_data(part) for part in getattr(condition, kind)]}


__all__ = ["MONTHS", "Field", "build_fields", "page_errors", "page_items", "entry_title"]
