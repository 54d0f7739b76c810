"""One home per item type for its FHIR R4 mapping and its CSV cells, both ways.

Each answer type is one `ItemMapping`: the FHIR item type and extra definition keys, how a stored
value becomes FHIR answers and CSV cells, and how they become the stored value again. A new item
type adds one entry to `MAPPINGS`; nothing else in the export branches on a type name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

EXTENSION = "http://hl7.org/fhir/StructureDefinition/"
ITEM_CONTROL = EXTENSION + "questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
YES_NO_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0136"
UNKNOWN_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# The codes of http://hl7.org/fhir/ValueSet/yesnodontknow, keyed by our stored value.
YES_NO_CODINGS = {
    "yes": {"system": YES_NO_SYSTEM, "code": "Y", "display": "Yes"},
    "no": {"system": YES_NO_SYSTEM, "code": "N", "display": "No"},
    "not_sure": {"system": UNKNOWN_SYSTEM, "code": "asked-unknown", "display": "Not sure"},
}
PRECISIONS = {10: "day", 7: "month", 4: "year"}
DETAILS_INFIX = ".details."


def detail_link_id(item_id: str, detail_id: str) -> str:
    """Return a follow-up's FHIR linkId (and CSV item id): `tried.details.helped`.

    The `.details.` infix mirrors where the answers are stored (`tried.details`) and cannot
    clash with the `.other` and `.help` children, whatever a follow-up is called.
    """
    return item_id + DETAILS_INFIX + detail_id


def linked_details(item) -> list[tuple[Any, Any]]:
    """Return (follow-up, the same follow-up under its linkId) for a choice with details.

    The renamed copy lets every mapping (options' code system, "Other" and help children)
    treat a follow-up as any other item, with an id that is unique in the whole resource.
    """
    return [
        (detail, detail.model_copy(update={"id": detail_link_id(item.id, detail.id)}))
        for detail in getattr(item, "details", None) or ()
    ]


def item_control(code: str) -> dict:
    """Return the itemControl extension for a code of the R4 questionnaire-item-control set."""
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


def option_system(questionnaire_url: str, item) -> str:
    """Return the code system of one item's options: the questionnaire's canonical URL + id."""
    return f"{questionnaire_url}/options/{item.id}"


@dataclass(frozen=True)
class Cell:
    """One CSV value of an answer: the value, its label and its date precision."""

    value: str
    label: str = ""
    precision: str = ""


@dataclass(frozen=True)
class ItemMapping:
    """How one item type is written to FHIR and CSV, and read back."""

    fhir_type: str
    answer_key: str
    define: Callable[[Any, str], dict] = lambda item, url: {}
    to_fhir: Callable[[Any, Any, str], Any] = lambda item, value, url: value
    from_fhir: Callable[[Any, Any], Any] = lambda item, value: value
    to_cell: Callable[[Any, Any], Cell] = lambda item, value: Cell(str(value))
    from_cell: Callable[[Any, str], Any] = lambda item, text: text
    many: bool = False
    extra: dict = field(default_factory=dict)

    def fhir_answers(self, item, value, url: str) -> list[dict]:
        """Return the FHIR answer list of a stored value (one answer per chosen option)."""
        values = value if self.many else [value]
        return [{self.answer_key: self.to_fhir(item, one, url)} for one in values]

    def read_fhir(self, item, answers: list[dict]) -> Any:
        """Return the stored value of a FHIR answer list."""
        values = [self.from_fhir(item, answer[self.answer_key]) for answer in answers]
        return values if self.many else values[0]

    def cells(self, item, value) -> list[Cell]:
        """Return one CSV cell per answer value."""
        return [self.to_cell(item, one) for one in (value if self.many else [value])]

    def read_cells(self, item, texts: list[str]) -> Any:
        """Return the stored value of an item's CSV values, in row order."""
        values = [self.from_cell(item, text) for text in texts]
        return values if self.many else values[0]


# --- choices --------------------------------------------------------------------------------


def _choice_options(item, url: str) -> dict:
    options = []
    for option in item.options:
        answer = {
            "valueCoding": {
                "system": option_system(url, item),
                "code": option.value,
                "display": option.label,
            }
        }
        if option.exclusive:
            answer["extension"] = [
                {"url": EXTENSION + "questionnaire-optionExclusive", "valueBoolean": True}
            ]
        options.append(answer)
    return {"answerOption": options}


def _option_coding(item, value: str, url: str) -> dict:
    label = next(option.label for option in item.options if option.value == value)
    return {"system": option_system(url, item), "code": value, "display": label}


def _option_cell(item, value: str) -> Cell:
    return Cell(value, next(option.label for option in item.options if option.value == value))


def _yes_no_options(item, url: str) -> dict:
    codes = ("yes", "no", "not_sure") if item.not_sure else ("yes", "no")
    return {"answerOption": [{"valueCoding": YES_NO_CODINGS[code]} for code in codes]}


def _yes_no_value(item, coding: dict) -> str:
    return next(key for key, known in YES_NO_CODINGS.items() if known["code"] == coding["code"])


# --- numbers and dates ----------------------------------------------------------------------


def _bounds(kind: str) -> Callable[[Any, str], dict]:
    def define(item, url: str) -> dict:
        extensions = [
            {"url": EXTENSION + name, f"value{kind}": bound}
            for name, bound in (("minValue", item.min), ("maxValue", item.max))
            if bound is not None
        ]
        unit = getattr(item, "unit", None)
        if unit:
            extensions.append(
                {"url": EXTENSION + "questionnaire-unit", "valueCoding": {"display": unit}}
            )
        return {"extension": extensions} if extensions else {}

    return define


def _scale(item, url: str) -> dict:
    definition = _bounds("Integer")(item, url)
    definition["extension"] += [
        item_control("slider"),
        {"url": EXTENSION + "questionnaire-sliderStepValue", "valueInteger": 1},
    ]
    definition["item"] = [
        _label_item(f"{item.id}.min_label", item.min_label, "lower"),
        _label_item(f"{item.id}.max_label", item.max_label, "upper"),
    ]
    return definition


def _label_item(link_id: str, text: str, control: str) -> dict:
    return {
        "linkId": link_id,
        "text": text,
        "type": "display",
        "extension": [item_control(control)],
    }


def _number_text(value: float) -> str:
    return repr(float(value))


def _date_cell(item, value: str) -> Cell:
    return Cell(value, precision=PRECISIONS[len(value)])


def _max_length(item, url: str) -> dict:
    return {"maxLength": item.max_length}


def _choice(many: bool) -> ItemMapping:
    return ItemMapping(
        "choice",
        "valueCoding",
        define=lambda item, url: {
            **_choice_options(item, url),
            **({"repeats": True} if many else {}),
        },
        to_fhir=_option_coding,
        from_fhir=lambda item, coding: coding["code"],
        to_cell=_option_cell,
        many=many,
    )


MAPPINGS: dict[str, ItemMapping] = {
    "yes_no": ItemMapping(
        "choice",
        "valueCoding",
        define=_yes_no_options,
        to_fhir=lambda item, value, url: YES_NO_CODINGS[value],
        from_fhir=_yes_no_value,
        to_cell=lambda item, value: Cell(value, YES_NO_CODINGS[value]["display"]),
    ),
    "single_choice": _choice(many=False),
    "multi_choice": _choice(many=True),
    "text": ItemMapping("string", "valueString", define=_max_length),
    "long_text": ItemMapping("text", "valueString", define=_max_length),
    "integer": ItemMapping(
        "integer", "valueInteger", define=_bounds("Integer"), from_cell=lambda item, text: int(text)
    ),
    "decimal": ItemMapping(
        "decimal",
        "valueDecimal",
        define=_bounds("Decimal"),
        to_fhir=lambda item, value, url: float(value),
        from_fhir=lambda item, value: float(value),
        to_cell=lambda item, value: Cell(_number_text(value)),
        from_cell=lambda item, text: float(text),
    ),
    "date": ItemMapping("date", "valueDate", to_cell=_date_cell),
    "month_year": ItemMapping(
        "date",
        "valueDate",
        define=lambda item, url: {
            "extension": [{"url": EXTENSION + "entryFormat", "valueString": "YYYY-MM or YYYY"}]
        },
        to_cell=_date_cell,
    ),
    "scale": ItemMapping(
        "integer", "valueInteger", define=_scale, from_cell=lambda item, text: int(text)
    ),
}


def mapping_for(item) -> ItemMapping:
    """Return the mapping of an answer item's type."""
    return MAPPINGS[item.type]
