"""Build the summary of an intake: at a glance first, then each questionnaire's answers.

Restates what the patient said and nothing more. Items whose conditions were not met are left
out (they were never asked); optional questions left unanswered are counted per section; "No",
"Not sure" and "Not answered" stay distinct. No I/O: the caller passes the responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..questionnaires.body_map import Figure, body_map_figure
from ..questionnaires.cleaning import DETAILS_SUFFIX
from ..questionnaires.conditions import is_answered, is_shown
from ..questionnaires.schema import GLANCE_SLOTS, NO_ANSWER_TYPES, GroupItem, Questionnaire
from .answers import answer_text

NOT_ANSWERED = gettext_lazy("Not answered")
# The fixed labels of the "At a glance" lines; the answers beside them are the patient's own.
GLANCE_LABELS = {
    "own_words": "In their own words",
    "worries": "What worries them",
    "hopes": "What they hope for",
    "where": "Where",
    "since": "Since",
    "how_often": "How often",
    "trend": "Trend",
}


@dataclass(frozen=True)
class Row:
    """One question and the patient's answer (text, or a list for several choices)."""

    item_id: str
    question: str
    answer: str | list[str]
    figure: Figure | None = None  # a body map: the picture with the chosen areas filled
    # The same picture heads the clinic's summary At a glance: there the section gives the areas
    # in words only (the patient's copy and review page, which have no At a glance, draw it).
    pictured_at_glance: bool = False

    @property
    def is_list(self) -> bool:
        return isinstance(self.answer, list)

    @property
    def may_break(self) -> bool:
        """Whether the row may run onto the next page: a long answer, rather than leave a gap
        (or its section's heading alone at the foot of a page) by moving to the next one whole."""
        return len(self.answer if isinstance(self.answer, str) else "".join(self.answer)) > 600


@dataclass(frozen=True)
class Table:
    """A repeating group: one row per entry, one column per question of the entry."""

    item_id: str
    title: str
    columns: list[str]
    entries: list[list[str]]
    entry_ids: list[str]
    lead: tuple[int, ...] = ()  # the columns that make an entry's first line (`title_from`)

    @property
    def columned_entries(self) -> list[list[tuple[str, str]]]:
        """Return each entry's cells with their column, empty ones (not asked) included."""
        return [list(zip(self.columns, cells, strict=True)) for cells in self.entries]

    @property
    def labelled_entries(self) -> list[list[tuple[str, str]]]:
        """Return each entry as (question, answer) pairs, leaving out questions not asked."""
        return [
            [(column, cell) for column, cell in zip(self.columns, cells, strict=True) if cell]
            for cells in self.entries
        ]

    @property
    def entry_lines(self) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
        """Return each entry as its first line's pairs and the rest beneath, asked ones only."""
        lines = []
        for cells in self.entries:
            pairs = [
                (index, column, cell)
                for index, (column, cell) in enumerate(zip(self.columns, cells, strict=True))
                if cell
            ]
            lines.append(
                (
                    [(column, cell) for index, column, cell in pairs if index in self.lead],
                    [(column, cell) for index, column, cell in pairs if index not in self.lead],
                )
            )
        return lines


@dataclass(frozen=True)
class SectionSummary:
    section_id: str
    title: str
    rows: list[Row | Table] = field(default_factory=list)
    unanswered: int = 0

    @property
    def blocks(self) -> list[list[Row] | Table]:
        """Return the rows with consecutive questions gathered, tables on their own."""
        blocks: list[list[Row] | Table] = []
        for row in self.rows:
            if isinstance(row, Table):
                blocks.append(row)
            elif blocks and isinstance(blocks[-1], list):
                blocks[-1].append(row)
            else:
                blocks.append([row])
        return blocks


@dataclass(frozen=True)
class QuestionnaireSummary:
    slug: str
    title: str
    version: int
    sections: list[SectionSummary]

    @property
    def unanswered(self) -> int:
        return sum(section.unanswered for section in self.sections)


@dataclass(frozen=True)
class KeyItem:
    questionnaire: str
    question: str
    answer: str | list[str]

    @property
    def is_list(self) -> bool:
        return isinstance(self.answer, list)


@dataclass(frozen=True)
class GlanceLine:
    """One line of "At a glance": a fixed label and the patient's answer, as given."""

    slot: str
    item_type: str
    question: str
    answer: str | list[str]
    figure: Figure | None = None  # a body map: a small picture, the chosen areas filled
    item_id: str = ""

    @property
    def label(self) -> str:
        return GLANCE_LABELS[self.slot]

    @property
    def is_list(self) -> bool:
        return isinstance(self.answer, list)

    @property
    def templates(self) -> list[str]:
        """Return the answer's template: one for its item type if there is one (a figure)."""
        return [f"summary/glance/{self.item_type}.html", "summary/glance/answer.html"]


@dataclass(frozen=True)
class Summary:
    key_items: list[KeyItem]
    questionnaires: list[QuestionnaireSummary]
    glance: list[GlanceLine] = field(default_factory=list)


@dataclass(frozen=True)
class AnsweredQuestionnaire:
    """What the builder needs of one response: definition, version and answers."""

    slug: str
    version: int
    questionnaire: Questionnaire
    answers: dict[str, Any]


def build_summary(responses: list[AnsweredQuestionnaire]) -> Summary:
    """Return the summary of answered questionnaires, in the order given."""
    key_items: list[KeyItem] = []
    glance: list[GlanceLine] = []
    summaries = []
    for response in responses:
        key_items += _key_items(response)
        lines = _glance_lines(response)
        glance += lines
        # A body map pictured At a glance is marked in its section (see Row.pictured_at_glance).
        pictured = {line.item_id for line in lines if line.figure}
        sections = [
            _section_summary(section, response.answers, pictured)
            for section in response.questionnaire.sections
            if is_shown(section.show_if, response.answers)
        ]
        summaries.append(
            QuestionnaireSummary(
                response.slug, response.questionnaire.title, response.version, sections
            )
        )
    glance.sort(key=lambda line: GLANCE_SLOTS.index(line.slot))
    return Summary(key_items, summaries, _one_line_per_slot(glance))


def _one_line_per_slot(lines: list[GlanceLine]) -> list[GlanceLine]:
    """Join the answers that fill one slot ("Since": a range and a month) on one line, in order.

    A line with a picture stays apart: its answer is the areas the picture shows.
    """
    joined: list[GlanceLine] = []
    for line in lines:
        before = joined[-1] if joined else None
        if before and before.slot == line.slot and not (before.figure or line.figure):
            answer = f"{_flat(before.answer)} · {_flat(line.answer)}"
            joined[-1] = replace(before, item_type="text", answer=answer)
        else:
            joined.append(line)
    return joined


def _flat(answer: str | list[str]) -> str:
    return answer if isinstance(answer, str) else ", ".join(answer)


def _glance_lines(response: AnsweredQuestionnaire) -> list[GlanceLine]:
    """Return the answered items the definition marks for "At a glance"; unanswered are left out."""
    lines = []
    answers = response.answers
    for section, group, item in response.questionnaire.iter_items():
        slot = getattr(item, "glance", None)
        if slot is None or (group is not None and group.repeats):
            continue
        shown = is_shown(section.show_if, answers) and is_shown(item.show_if, answers)
        if shown and is_answered(answers.get(item.id)):
            answer = answer_text(item, answers)
            figure = _figure(item, answers)
            lines.append(GlanceLine(slot, item.type, item.text, answer, figure, item.id))
    return lines


def _key_items(response: AnsweredQuestionnaire) -> list[KeyItem]:
    items = []
    answers = response.answers
    for section, group, item in response.questionnaire.iter_items():
        if not getattr(item, "key", False) or (group is not None and group.repeats):
            continue
        shown = is_shown(section.show_if, answers) and is_shown(item.show_if, answers)
        if not shown:
            continue
        answered = is_answered(answers.get(item.id))
        answer = answer_text(item, answers) if answered else str(NOT_ANSWERED)
        items.append(KeyItem(response.questionnaire.title, item.text, answer))
    return items


def _section_summary(section, answers: dict[str, Any], pictured: set[str]) -> SectionSummary:
    rows: list[Row | Table] = []
    unanswered = 0
    for item in _flatten(section.items, answers):
        if isinstance(item, GroupItem):
            table = _table(item, answers)
            if table is None:
                unanswered += 1
            else:
                rows.append(table)
        elif is_answered(answers.get(item.id)) and getattr(item, "details", None):
            rows.append(_details_table(item, answers))
        elif is_answered(answers.get(item.id)):
            figure = _figure(item, answers)
            at_glance = figure is not None and item.id in pictured
            rows.append(Row(item.id, item.text, answer_text(item, answers), figure, at_glance))
        else:
            unanswered += 1
    return SectionSummary(section.id, section.title, rows, unanswered)


def _flatten(items, answers):
    """Yield the shown answerable items, opening plain groups into their items."""
    for item in items:
        if item.type in NO_ANSWER_TYPES or not is_shown(item.show_if, answers):
            continue
        if isinstance(item, GroupItem) and not item.repeats:
            yield from _flatten(item.items, answers)
        else:
            yield item


def _table(group: GroupItem, answers: dict[str, Any]) -> Table | None:
    entries = answers.get(group.id) or []
    if not entries:
        return None
    children = [child for child in group.items if child.type != "display"]
    asked = [
        any(is_shown(child.show_if, answers, entry) for entry in entries) for child in children
    ]
    children = [child for child, was_asked in zip(children, asked, strict=True) if was_asked]
    rows = [_cells(children, answers, entry) for entry in entries]
    return Table(
        group.id,
        group.short_text or group.text,
        [child.short_text or child.text for child in children],
        rows,
        [entry.get("_id", "") for entry in entries],
        tuple(index for index, child in enumerate(children) if child.id in group.title_from),
    )


def _cells(children, answers: dict[str, Any], entry: dict[str, Any]) -> list[str]:
    """Return an entry's answers, "" where a question was not asked, "—" where left empty."""
    cells = []
    for child in children:
        shown = is_shown(child.show_if, answers, entry)
        if shown and is_answered(entry.get(child.id)):
            answer = answer_text(child, entry)
            cells.append(", ".join(answer) if isinstance(answer, list) else answer)
        else:
            cells.append("" if not shown else "—")
    return cells


def _details_table(item, answers: dict[str, Any]) -> Table:
    """A multi-choice item with follow-ups: one row per chosen option, its follow-ups after."""
    details = answers.get(item.id + DETAILS_SUFFIX) or {}
    children = [child for child in item.details if child.type != "display"]
    rows, ids = [], []
    for value, label in zip(answers[item.id], answer_text(item, answers), strict=True):
        entry = details.get(value) or {}
        rows.append([label, *_cells(children, answers, entry)])
        ids.append(entry.get("_id", ""))
    columns = [
        item.short_text or _("Answer"),
        *(child.short_text or child.text for child in children),
    ]
    return Table(item.id, item.text, columns, rows, ids)


def _figure(item, answers: dict[str, Any]) -> Figure | None:
    if getattr(item, "display", "") != "body_map":
        return None
    return body_map_figure(item.options, answers[item.id])
