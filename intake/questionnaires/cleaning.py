"""Clean raw answers (from a web form or the API) against a questionnaire definition.

`clean_answers` is the one place answers are checked: types, ranges, option values, required
items that are shown, `show_if` (answers to hidden items are never stored; with `report_unasked`
each one is named in `unasked`, as is "Other" text with "Other" not chosen), repeating group
bounds, dates not in the future and text lengths. It never raises on bad input; it returns
the answers that are valid and a patient-facing message for each one that is not, keyed by item
id (`pain_now`), by `id.other` for an "Other" text, or by group, entry index and item
(`surgeries[1].when`), or by item, chosen option and follow-up (`tried[magnesium].helped`).
Cleaning cleaned answers returns them unchanged.

A multi-choice item with `details` stores its chosen values as usual and, under
`<id>.details`, one entry per chosen option keyed by the option's value, each with a stable
`_id` and the follow-up answers: `{"tried": ["magnesium"], "tried.details": {"magnesium":
{"_id": "a1b2c3d4e5f6", "helped": "a_little"}}}`. Details given for an option that is not
chosen are refused with a message, never dropped silently.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .conditions import is_answered, is_shown
from .cues import unasked_message
from .schema import NO_ANSWER_TYPES, GroupItem, Questionnaire

OTHER_SUFFIX = ".other"
DETAILS_SUFFIX = ".details"
OTHER_TEXT_MAX_LENGTH = 200
ROW_ID_KEY = "_id"
ROW_ID_PATTERN = re.compile(r"^[a-z0-9]{6,32}$")
INTEGER_LIMIT = 10**9
EARLIEST_YEAR = 1900

# Messages for the patient, in their language (Django's translation machinery).
MSG_REQUIRED = gettext_lazy("Please answer this question.")
MSG_UNKNOWN = gettext_lazy("This question is not part of this form.")
MSG_DETAILS_NOT_CHOSEN = gettext_lazy(
    "You gave details for “%(label)s”, but it is not ticked. Tick it again to keep them, "
    "or clear them."
)


class Invalid(Exception):
    """A value that cannot be cleaned; the message is shown to the patient."""


@dataclass(frozen=True)
class CleanedAnswers:
    """The valid answers, and a message for every problem, keyed by item path."""

    answers: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    # Answers given to questions that were not asked: never stored, and never kept from before.
    unasked: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.unasked

    @property
    def problems(self) -> dict[str, str]:
        """Return every message for the patient: errors and answers to questions not asked."""
        return {**self.errors, **self.unasked}


def clean_answers(
    questionnaire: Questionnaire,
    raw: Any,
    *,
    today: date,
    require: bool | Collection[str] = False,
    report_unasked: bool | Collection[str] = False,
) -> CleanedAnswers:
    """Return cleaned answers and errors; `require` checks required items (all, or by section).

    `report_unasked` (all, or by section) names in `unasked` every answer given to a question
    that is not asked, and every "Other" text given without "Other" chosen; otherwise they are
    dropped without a word (as when stored answers are read back).
    """
    if not isinstance(raw, Mapping):
        return CleanedAnswers({}, {"__all__": "Answers must be an object keyed by question id."})
    return _Cleaner(questionnaire, today, require, report_unasked).run(raw)


def _applies(setting: bool | Collection[str], section_id: str) -> bool:
    return setting is True or (not isinstance(setting, bool) and section_id in setting)


class _Cleaner:
    def __init__(self, questionnaire: Questionnaire, today: date, require, report_unasked):
        self.questionnaire = questionnaire
        self.today = today
        self.require = require
        self.report_unasked = report_unasked
        self.report = False  # whether the section being cleaned reports unasked answers
        self.answers: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.unasked: dict[str, str] = {}
        self.missing: list[str] = []
        self.items = questionnaire.item_index() if report_unasked else {}

    def run(self, raw: Mapping) -> CleanedAnswers:
        known: set[str] = set()
        for section in self.questionnaire.sections:
            shown = is_shown(section.show_if, self.answers)
            required = _applies(self.require, section.id)
            self.report = _applies(self.report_unasked, section.id)
            for item in section.items:
                if isinstance(item, GroupItem) and not item.repeats:
                    group_shown = shown and is_shown(item.show_if, self.answers)
                    because = item.show_if if shown else section.show_if
                    for child in item.items:
                        known |= _keys_of(child)
                        self.item(child, raw, group_shown, required, because)
                else:
                    known |= _keys_of(item)
                    self.item(item, raw, shown, required, section.show_if)
        for key in raw:
            if key not in known:
                self.errors[str(key)[:100]] = str(MSG_UNKNOWN)
        return CleanedAnswers(self.answers, self.errors, tuple(self.missing), self.unasked)

    def item(self, item, raw: Mapping, section_shown: bool, required: bool, because) -> None:
        if item.type in NO_ANSWER_TYPES:
            return
        if not section_shown or not is_shown(item.show_if, self.answers):
            self.note_unasked(item, raw, item.id, because if not section_shown else item.show_if)
            return
        if isinstance(item, GroupItem):
            self.group(item, raw.get(item.id), required)
            return
        _clean_into(item, raw, self.answers, self, item.id, required=required)
        if getattr(item, "details", None):
            self.details(item, raw, required)

    def details(self, item, raw: Mapping, required: bool) -> None:
        """Clean the follow-ups of each chosen option; refuse those of options not chosen."""
        key = item.id + DETAILS_SUFFIX
        value = raw.get(key)
        if not is_answered(value):
            value = {}
        if not isinstance(value, Mapping):
            # Refused, and the chosen options still get their (empty) entries, as when none came.
            self.errors[key] = _("Expected follow-up answers keyed by the chosen answers.")
            value = {}
        if item.id in self.errors:
            if _has_answers(value):  # said, not dropped: they wait for a valid choice above
                self.errors[key] = _("These follow-up answers need a valid answer above.")
            return
        chosen = self.answers.get(item.id, [])
        stray = [v for v, entry in value.items() if v not in chosen and _has_answers(entry)]
        if stray:
            labels = {option.value: option.label for option in item.options}
            label = labels.get(stray[0], str(stray[0])[:60])
            self.errors[item.id] = self.errors[key] = MSG_DETAILS_NOT_CHOSEN % {"label": label}
            self.answers.pop(item.id, None)  # the stored choices and details stay: nothing lost
            self.answers.pop(item.id + OTHER_SUFFIX, None)
            return
        entries, row_ids = {}, set()
        for option_value in chosen:
            entry = value.get(option_value)
            entries[option_value] = self.detail_entry(
                item, option_value, entry if isinstance(entry, Mapping) else {}, row_ids, required
            )
        if entries:
            self.answers[key] = entries

    def detail_entry(self, item, option_value: str, raw_entry: Mapping, row_ids, required):
        prefix = f"{item.id}[{option_value}]"
        entry: dict[str, Any] = {}
        known = {ROW_ID_KEY}
        for child in item.details:
            known |= _keys_of(child)
            if child.type == "display" or not is_shown(child.show_if, self.answers, entry):
                continue
            _clean_into(child, raw_entry, entry, self, f"{prefix}.{child.id}", required=required)
        for name in raw_entry:
            if name not in known:
                self.errors[f"{prefix}.{str(name)[:100]}"] = str(MSG_UNKNOWN)
        return {ROW_ID_KEY: _row_id(raw_entry.get(ROW_ID_KEY), row_ids), **entry}

    def group(self, group: GroupItem, value: Any, required: bool) -> None:
        if not is_answered(value):
            self.need_entries(group, 0, required)
            return
        if not isinstance(value, list):
            self.errors[group.id] = _("Expected a list of entries.")
            return
        if len(value) > group.max_entries:
            self.errors[group.id] = _("You can add up to %(count)s entries.") % {
                "count": group.max_entries
            }
            return
        rows, row_ids = [], set()
        for index, raw_row in enumerate(value):
            row = self.row(group, index, raw_row, row_ids, required)
            if row is not None:
                rows.append(row)
        if rows:
            self.answers[group.id] = rows
        self.need_entries(group, len(rows), required)

    def row(self, group: GroupItem, index: int, raw_row: Any, row_ids: set, required: bool):
        prefix = f"{group.id}[{index}]"
        if not isinstance(raw_row, Mapping):
            self.errors[prefix] = _("Expected an entry with answers.")
            return None
        row: dict[str, Any] = {}
        known = {ROW_ID_KEY}
        for child in group.items:
            known |= _keys_of(child)
            if child.type == "display":
                continue
            if not is_shown(child.show_if, self.answers, row):
                self.note_unasked(child, raw_row, f"{prefix}.{child.id}", child.show_if)
                continue
            _clean_into(child, raw_row, row, self, f"{prefix}.{child.id}", required=required)
        for key in raw_row:
            if key not in known:
                self.errors[f"{prefix}.{str(key)[:100]}"] = str(MSG_UNKNOWN)
        if not row:
            return None
        return {ROW_ID_KEY: _row_id(raw_row.get(ROW_ID_KEY), row_ids), **row}

    def note_unasked(self, item, raw: Mapping, key: str, condition) -> None:
        """Name an answer given to a question that is not asked (when this page reports them)."""
        if self.report and (
            _holds_answer(raw.get(item.id)) or _holds_answer(raw.get(item.id + OTHER_SUFFIX))
        ):
            self.unasked[key] = unasked_message(condition, self.items)

    def need_entries(self, group: GroupItem, count: int, required: bool) -> None:
        if not required or group.id in self.errors:
            return
        needed = max(group.min_items or 0, 1 if group.required else 0)
        if count < needed:
            self.errors[group.id] = (
                _("Add at least %(count)s entries.") % {"count": needed}
                if needed > 1
                else _("Add at least 1 %(entry)s.") % {"entry": _entry(group)}
            )
            self.missing.append(group.id)


def _clean_into(item, raw: Mapping, out: dict, cleaner: _Cleaner, key: str, *, required) -> None:
    """Clean one item's answer (and its "Other" text) from `raw` into `out`."""
    errors = cleaner.errors
    value = raw.get(item.id)
    if isinstance(value, str):
        value = value.strip()
    if is_answered(value):
        try:
            value = CLEANERS[item.type](item, value, cleaner.today)
        except Invalid as problem:
            errors[key] = str(problem)
            return
    # Checked after cleaning too: a text of only control characters cleans to "", no answer.
    if not is_answered(value):
        if required and item.required:
            errors[key] = str(MSG_REQUIRED)
            cleaner.missing.append(key)
        _note_other_not_chosen(item, raw.get(item.id + OTHER_SUFFIX), cleaner, key)
        return
    out[item.id] = value
    other = _other_option(item, value)
    text = raw.get(item.id + OTHER_SUFFIX)
    if other is None:
        _note_other_not_chosen(item, text, cleaner, key)
        return
    if not is_answered(text):
        return
    try:
        text = _clean_text(text, OTHER_TEXT_MAX_LENGTH, multiline=False)
    except Invalid as problem:
        errors[key + OTHER_SUFFIX] = str(problem)
        return
    if text:
        out[item.id + OTHER_SUFFIX] = text


def _note_other_not_chosen(item, text: Any, cleaner: _Cleaner, key: str) -> None:
    label = next((o.label for o in getattr(item, "options", None) or () if o.other), None)
    if not cleaner.report or label is None or not _holds_answer(text):
        return
    cleaner.unasked[key + OTHER_SUFFIX] = _(
        "You wrote this, but “%(label)s” is not chosen. Clear this text, or choose “%(label)s”."
    ) % {"label": label}


def _holds_answer(value: Any) -> bool:
    """Return whether a raw value holds something the patient gave (a row: any answer in it)."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_holds_answer(one) for one in value)
    if isinstance(value, Mapping):
        return any(_holds_answer(one) for key, one in value.items() if key != ROW_ID_KEY)
    return value is not None


def _row_id(given: Any, taken: set[str]) -> str:
    """Keep a valid, unused stable id; otherwise make a new one."""
    if not isinstance(given, str) or not ROW_ID_PATTERN.match(given) or given in taken:
        given = secrets.token_hex(6)
    taken.add(given)
    return given


def _has_answers(entry: Any) -> bool:
    if not isinstance(entry, Mapping):
        return is_answered(entry)
    return any(is_answered(value) for name, value in entry.items() if name != ROW_ID_KEY)


def _other_option(item, value) -> str | None:
    options = getattr(item, "options", None) or ()
    chosen = value if isinstance(value, list) else [value]
    return next((o.value for o in options if o.other and o.value in chosen), None)


def _keys_of(item) -> set[str]:
    if item.type in NO_ANSWER_TYPES:
        return set()
    keys = {item.id}
    options = getattr(item, "options", None) or ()
    if any(option.other for option in options):
        keys.add(item.id + OTHER_SUFFIX)
    if getattr(item, "details", None):
        keys.add(item.id + DETAILS_SUFFIX)
    return keys


def _entry(group: GroupItem) -> str:
    return (group.entry_label or _("entry")).lower()


# --- one cleaner per item type ----------------------------------------------------------------


def _clean_yes_no(item, value, today):
    if isinstance(value, bool):
        return "yes" if value else "no"
    allowed = ("yes", "no", "not_sure") if item.not_sure else ("yes", "no")
    if isinstance(value, str) and value.lower() in allowed:
        return value.lower()
    raise Invalid(_("Choose Yes, No or Not sure.") if item.not_sure else _("Choose Yes or No."))


def _clean_single_choice(item, value, today):
    if isinstance(value, str) and value in {option.value for option in item.options}:
        return value
    raise Invalid(_("Choose one of the answers shown."))


def _clean_multi_choice(item, value, today):
    chosen = [value] if isinstance(value, str) else value
    values = [option.value for option in item.options]
    if not isinstance(chosen, list) or not all(isinstance(v, str) and v in values for v in chosen):
        raise Invalid(_("Choose from the answers shown."))
    exclusive = [o for o in item.options if o.exclusive and o.value in chosen]
    if exclusive and len(set(chosen)) > 1:
        raise Invalid(
            _("“%(label)s” cannot be chosen together with other answers.")
            % {"label": exclusive[0].label}
        )
    return [v for v in values if v in chosen]


def _clean_text(value, max_length: int, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise Invalid(_("Enter text."))
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    keep = "\n\t" if multiline else ""
    text = "".join(char if char in keep or _is_safe(char) else " " for char in text).strip()
    if not any(unicodedata.category(char)[0] not in "CZ" for char in text):
        return ""  # only spaces and invisible characters: no answer
    if len(text) > max_length:
        raise Invalid(
            _("Keep this to %(limit)s characters or fewer (now %(count)s).")
            % {"limit": max_length, "count": len(text)}
        )
    return text


# Direction overrides can make stored text read differently from what was typed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_safe(char: str) -> bool:
    """Keep letters, marks and joiners (emoji, Indic scripts); drop controls and separators."""
    category = unicodedata.category(char)
    return category not in ("Cc", "Cs", "Cn", "Co", "Zl", "Zp") and char not in _BIDI_CONTROLS


def _clean_short_text(item, value, today):
    return _clean_text(value, item.max_length, multiline=False)


def _clean_long_text(item, value, today):
    return _clean_text(value, item.max_length, multiline=True)


def _range_message(item, whole: bool) -> str:
    low, high, unit = item.min, item.max, f" {item.unit}" if getattr(item, "unit", None) else ""
    words = {"low": _plain(low or 0), "high": _plain(high or 0), "unit": unit}
    if low is not None and high is not None:
        if whole:
            return _("Enter a whole number from %(low)s to %(high)s%(unit)s.") % words
        return _("Enter a number from %(low)s to %(high)s%(unit)s.") % words
    if low is not None:
        if whole:
            return _("Enter a whole number of %(low)s%(unit)s or more.") % words
        return _("Enter a number of %(low)s%(unit)s or more.") % words
    if high is not None:
        if whole:
            return _("Enter a whole number of %(high)s%(unit)s or less.") % words
        return _("Enter a number of %(high)s%(unit)s or less.") % words
    return _("Enter a whole number.") if whole else _("Enter a number.")


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _in_range(item, number) -> bool:
    return (item.min is None or number >= item.min) and (item.max is None or number <= item.max)


def _clean_integer(item, value, today):
    number = _as_integer(value)
    if number is None or abs(number) > INTEGER_LIMIT or not _in_range(item, number):
        raise Invalid(_range_message(item, whole=True))
    return number


def _as_integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,12}", value):
        return int(value)
    return None


def _clean_decimal(item, value, today):
    number = _as_decimal(value)
    if number is None or abs(number) > INTEGER_LIMIT or not _in_range(item, number):
        raise Invalid(_range_message(item, whole=False))
    return number


def _as_decimal(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > INTEGER_LIMIT:
        return None  # float() of a huge int raises OverflowError
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 20:
        try:
            number = float(Decimal(value.replace(",", ".")))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _clean_scale(item, value, today):
    number = _as_integer(value)
    if number is None or not item.min <= number <= item.max:
        raise Invalid(
            _("Choose a number from %(low)s to %(high)s.") % {"low": item.min, "high": item.max}
        )
    return number


def _clean_date(item, value, today):
    match = isinstance(value, str) and re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or day.year < EARLIEST_YEAR:
        raise Invalid(_("Enter a real date, for example 2019-03-27."))
    if day > today and not item.allow_future:
        raise Invalid(_("This date is in the future. Enter a date up to today."))
    return day.isoformat()


def _clean_month_year(item, value, today):
    match = isinstance(value, str) and re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", value)
    year = int(match.group(1)) if match else 0
    month = int(match.group(2)) if match and match.group(2) else None
    if not match or year < EARLIEST_YEAR or (month is not None and not 1 <= month <= 12):
        raise Invalid(_("Enter a month and year, for example 2019-03, or just the year."))
    late = (year, month or 1) > (today.year, today.month)
    if late and not item.allow_future:
        raise Invalid(_("This is in the future. Enter a month and year up to now."))
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


CLEANERS = {
    "yes_no": _clean_yes_no,
    "single_choice": _clean_single_choice,
    "multi_choice": _clean_multi_choice,
    "text": _clean_short_text,
    "long_text": _clean_long_text,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "scale": _clean_scale,
    "date": _clean_date,
    "month_year": _clean_month_year,
}
