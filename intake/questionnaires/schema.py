"""The questionnaire definition format: strict, frozen pydantic models.

This module is the single source of the format. The loader validates YAML files against it,
`questionnaire_defs/schema.json` is generated from it, and everything downstream (cleaning, patient
pages, summary, FHIR export) reads these objects, never raw YAML.

A definition describes what to ask and how to ask it. It has no field that computes anything
about the patient: no score, no rule, no interpretation.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

ID_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
ID_HINT = "use lowercase letters, digits and _, starting with a letter (at most 63 characters)"

TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 5000
REPEAT_MAX_ITEMS = 50
MEDIA_MAX_COUNT = 5
# The lines of the summary's "At a glance" block, in the order they print.
GLANCE_SLOTS = ("own_words", "worries", "hopes", "where", "since", "how_often", "trend")

Id = Annotated[str, Field(pattern=ID_PATTERN, description=f"A stable identifier: {ID_HINT}.")]
Label = Annotated[str, Field(min_length=1, max_length=300)]
Scalar = str | int | float | bool


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- conditions -----------------------------------------------------------------------------

COMPARISONS = ("gt", "gte", "lt", "lte")
ITEM_OPERATORS = ("equals", "in", "includes", "answered", *COMPARISONS)


class ItemCondition(Strict):
    """A test on the answer to one earlier item; exactly one operator is set."""

    item: Id
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    includes: Scalar | None = None
    answered: bool | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def one_operator(self) -> ItemCondition:
        if len(self.operators()) != 1:
            raise ValueError(
                "a condition on an item needs exactly one of: " + ", ".join(ITEM_OPERATORS)
            )
        return self

    def operators(self) -> dict[str, Any]:
        """Return the operators this condition sets, keyed by their YAML name."""
        values = {name: getattr(self, "in_" if name == "in" else name) for name in ITEM_OPERATORS}
        return {name: value for name, value in values.items() if value is not None}

    @property
    def operator(self) -> tuple[str, Any]:
        return next(iter(self.operators().items()))


class AllCondition(Strict):
    """True when every condition in the list is true."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    """True when at least one condition in the list is true."""

    any: list[Condition] = Field(min_length=1)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {AllCondition: "all", AnyCondition: "any"}.get(type(value), "item")
    if isinstance(value, dict):
        for kind in ("all", "any"):
            if kind in value:
                return kind
        return "item"
    return None


Condition = Annotated[
    Annotated[ItemCondition, Tag("item")]
    | Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")],
    Discriminator(_condition_kind),
]


# --- items ----------------------------------------------------------------------------------


class Option(Strict):
    """One answer a patient can choose."""

    value: Id
    label: Label
    other: bool = Field(
        default=False, description="Choosing this option brings a free-text box ('Other')."
    )
    exclusive: bool = Field(
        default=False,
        description="Multi choice only: this option cannot be chosen with others ('None').",
    )


class ItemBase(Strict):
    id: Id
    text: Label
    help: str | None = Field(default=None, max_length=1000)
    show_if: Condition | None = None


class AnswerItemBase(ItemBase):
    short_text: str | None = Field(
        default=None,
        max_length=40,
        description="A short form of the question for summary table columns: 'Kind', 'When'.",
    )
    required: bool = False
    key: bool = Field(
        default=False,
        description="The clinic wants this answer listed first in the summary, as given.",
    )
    glance: Literal[GLANCE_SLOTS] | None = Field(
        default=None,
        description=(
            "The line of the summary's 'At a glance' block this answer fills, as given: "
            "own_words, worries, hopes, where, since, how_often or trend."
        ),
    )


class DisplayItem(ItemBase):
    """Text shown to the patient; takes no answer."""

    type: Literal["display"]


class MediaItem(ItemBase):
    """A photo or video the patient may send from their phone (FHIR 'attachment').

    Always optional; the files are kept beside the answers, not in them. Only on a page, never
    inside a group or a choice's follow-ups.
    """

    type: Literal["media"]
    accept: Literal["video", "photo", "either"] = Field(
        default="either", description="What the patient may send: video, photo or either."
    )
    max_count: int = Field(default=1, ge=1, le=MEDIA_MAX_COUNT, description="Files at most.")
    max_seconds: int = Field(
        default=60, ge=1, le=60, description="A video's length at most, in seconds (60 at most)."
    )


class YesNoItem(AnswerItemBase):
    type: Literal["yes_no"]
    not_sure: bool = Field(default=False, description="Also offer 'Not sure'.")


class SingleChoiceItem(AnswerItemBase):
    type: Literal["single_choice"]
    options: list[Option] = Field(min_length=2)


class MultiChoiceItem(AnswerItemBase):
    """Several choices; optionally drawn as a body picture, or with follow-ups per choice."""

    type: Literal["multi_choice"]
    options: list[Option] = Field(min_length=2)
    display: Literal["list", "body_map"] = Field(
        default="list",
        description=(
            "'body_map': options whose value is a body area (calf_left, low_back, ...) are "
            "also drawn as a front and back body picture the patient taps; the list stays."
        ),
    )
    details: list[DetailItem] = Field(
        default_factory=list,
        max_length=10,
        description=(
            "Follow-up items asked once for each chosen option ('Did it help?', 'When?'); "
            "answers are stored per option under '<id>.details'."
        ),
    )


class TextItem(AnswerItemBase):
    type: Literal["text"]
    max_length: int = Field(default=200, ge=1, le=TEXT_MAX_LENGTH)


class LongTextItem(AnswerItemBase):
    type: Literal["long_text"]
    max_length: int = Field(default=2000, ge=1, le=LONG_TEXT_MAX_LENGTH)


class IntegerItem(AnswerItemBase):
    type: Literal["integer"]
    min: int | None = None
    max: int | None = None
    unit: str | None = Field(default=None, max_length=40)


class DecimalItem(AnswerItemBase):
    type: Literal["decimal"]
    min: float | None = None
    max: float | None = None
    unit: str | None = Field(default=None, max_length=40)


class DateItem(AnswerItemBase):
    type: Literal["date"]
    allow_future: bool = False


class MonthYearItem(AnswerItemBase):
    """A month and year; the month may be left out when the patient knows only the year."""

    type: Literal["month_year"]
    allow_future: bool = False


class ScaleItem(AnswerItemBase):
    """A whole number on a short scale with both ends labelled (0-10 by default)."""

    type: Literal["scale"]
    min: int = Field(default=0, ge=0, le=100)
    max: int = Field(default=10, ge=1, le=100)
    min_label: Label
    max_label: Label


ANSWER_TYPES = (
    "yes_no",
    "single_choice",
    "multi_choice",
    "text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "month_year",
    "scale",
)
CHOICE_TYPES = ("single_choice", "multi_choice")
NUMBER_TYPES = ("integer", "decimal", "scale")

LeafItem = Annotated[
    DisplayItem
    | YesNoItem
    | SingleChoiceItem
    | MultiChoiceItem
    | TextItem
    | LongTextItem
    | IntegerItem
    | DecimalItem
    | DateItem
    | MonthYearItem
    | ScaleItem,
    Field(discriminator="type"),
]


# The follow-ups of a choice: plain questions, no groups and no further follow-ups.
DetailItem = Annotated[
    DisplayItem
    | YesNoItem
    | SingleChoiceItem
    | TextItem
    | LongTextItem
    | IntegerItem
    | DecimalItem
    | DateItem
    | MonthYearItem
    | ScaleItem,
    Field(discriminator="type"),
]


class GroupItem(ItemBase):
    """Items asked together; with `repeats`, a list of entries (surgeries, medicines)."""

    type: Literal["group"]
    items: list[LeafItem] = Field(min_length=1)
    required: bool = Field(default=False, description="Repeating: at least one entry is needed.")
    repeats: bool = False
    short_text: str | None = Field(
        default=None,
        max_length=40,
        description="Repeating: the summary's heading for the entries: 'Surgeries'.",
    )
    min_items: int | None = Field(default=None, ge=0, le=REPEAT_MAX_ITEMS)
    max_items: int | None = Field(default=None, ge=1, le=REPEAT_MAX_ITEMS)
    entry_label: str | None = Field(
        default=None, max_length=60, description="What one entry is called: 'Surgery'."
    )
    add_label: str | None = Field(
        default=None, max_length=60, description="The add button: 'Add another surgery'."
    )
    title_from: list[Id] = Field(
        default_factory=list,
        description="Items of the entry whose answers title its card: 'Surgery 2: Fusion, 2013'.",
    )

    @property
    def max_entries(self) -> int:
        return self.max_items or REPEAT_MAX_ITEMS


Item = Annotated[LeafItem | GroupItem | MediaItem, Field(discriminator="type")]
ITEM_TYPES = (*ANSWER_TYPES, "group", "display", "media")
# Items that store nothing in the answers: text shown, and files kept beside the answers.
NO_ANSWER_TYPES = ("display", "media")


class Section(Strict):
    """One page of questions."""

    id: Id
    title: Label
    intro: str | None = Field(default=None, max_length=2000)
    show_if: Condition | None = None
    items: list[Item] = Field(min_length=1)


class Questionnaire(Strict):
    """One questionnaire: a title and its sections, in order."""

    id: Id = Field(description="The questionnaire's slug; also the file name without .yaml.")
    title: Label
    description: str | None = Field(default=None, max_length=2000)
    sections: list[Section] = Field(min_length=1)
    translations: dict[str, dict[str, str]] | None = Field(
        default=None,
        description=(
            "Set by the loader from i18n/<id>.<language>.yaml, never written here: the patient's "
            "texts in each other language, by key ('items.<id>.text', ...)."
        ),
    )

    model_config = ConfigDict(
        title="Intake questionnaire definition",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    def iter_items(self):
        """Yield (section, group or None, item) for every item, in document order."""
        for section in self.sections:
            for item in section.items:
                yield section, None, item
                if isinstance(item, GroupItem):
                    for child in item.items:
                        yield section, item, child

    def item_index(self) -> dict[str, Any]:
        """Return every item by id."""
        return {item.id: item for _, _, item in self.iter_items()}


AllCondition.model_rebuild()
AnyCondition.model_rebuild()
MultiChoiceItem.model_rebuild()
