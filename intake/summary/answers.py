"""Turn one stored answer into the words a person reads, exactly as the patient gave it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from ..questionnaires.cleaning import OTHER_SUFFIX

# In the reader's language: the clinician's summary is rendered in English, the patient's pages
# and copy in theirs.
YES_NO = {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")}


class PatientWords(str):
    """Text the patient typed, exactly as written: a page marks it with the language it is in."""

    written_by_patient = True


def answer_text(item, answers: dict[str, Any]) -> str | list[str]:
    """Return an answer as text, or as a list of texts for a multi-choice answer."""
    value = answers.get(item.id)
    kind = item.type
    if kind == "yes_no":
        return str(YES_NO[value]) if value in YES_NO else str(value)
    if kind == "single_choice":
        return _choice_label(item, value, answers.get(item.id + OTHER_SUFFIX))
    if kind == "multi_choice":
        other = answers.get(item.id + OTHER_SUFFIX)
        return [_choice_label(item, chosen, other) for chosen in value]
    if kind == "scale":
        return f"{value} / {item.max}"
    if kind in ("integer", "decimal"):
        number = _number(value)
        return f"{number} {item.unit}" if item.unit else number
    if kind == "month_year":
        return month_year_text(value)
    if kind == "date":
        return date.fromisoformat(value).strftime("%-d %b %Y")
    if kind in ("text", "long_text"):
        return PatientWords(value)
    return str(value)


def month_year_text(value: str) -> str:
    """Return "March 2019" for "2019-03", and "2019" for a year alone."""
    year, _, month = value.partition("-")
    return f"{MONTHS[int(month)]} {year}" if month else year


def _choice_label(item, value: str, other_text: str | None) -> str:
    option = next((o for o in item.options if o.value == value), None)
    if option is None:
        return str(value)
    if option.other and other_text:
        return f"{option.label}: {other_text}"
    return option.label


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
