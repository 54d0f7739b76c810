"""The translations a patient read, on a FHIR Questionnaire: HL7's `translation` extension.

The Questionnaire stays in English (`language: en`, what the clinician reads); each text that a
translation file translates carries the translated text as an extension on the element's
primitive (`_text`, `_title`, `valueCoding._display`), the way FHIR R4 defines for any string.
Keys are those of the translation files (`items.<id>.text`, `items.<id>.options.<value>`, ...).
"""

from __future__ import annotations

from typing import Any

from ..questionnaires.schema import Questionnaire
from .item_types import DETAILS_INFIX

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
HELP_SUFFIX, INTRO_SUFFIX, OTHER_SUFFIX = ".help", ".intro", ".other"


def translation_extension(language: str, text: str) -> dict:
    return {
        "url": TRANSLATION,
        "extension": [
            {"url": "lang", "valueCode": language},
            {"url": "content", "valueString": text},
        ],
    }


def add_translations(resource: dict[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    """Add `language` and every translation of the definition to a Questionnaire resource."""
    resource["language"] = "en"
    translations = questionnaire.translations or {}
    if not translations:
        return resource
    sections = {section.id for section in questionnaire.sections}
    _translate(resource, "title", "title", translations)
    _translate(resource, "description", "description", translations)
    for item in resource.get("item", []):
        _item(item, sections, translations)
    return resource


def _item(item: dict, sections: set[str], translations: dict) -> None:
    link_id = item["linkId"]
    if link_id in sections:
        key = f"sections.{link_id}.title"
    elif link_id.endswith(INTRO_SUFFIX) and link_id[: -len(INTRO_SUFFIX)] in sections:
        key = f"sections.{link_id[: -len(INTRO_SUFFIX)]}.intro"
    elif link_id.endswith(HELP_SUFFIX):
        key = f"{_item_key(link_id[: -len(HELP_SUFFIX)])}.help"
    elif link_id.endswith(OTHER_SUFFIX):
        key = None  # "<option>: please describe" is the export's own wording, not the form's
    else:
        key = f"{_item_key(link_id)}.text"
    if key:
        _translate(item, "text", key, translations)
    base = _item_key(link_id)
    for option in item.get("answerOption", []):
        coding = option.get("valueCoding")
        if coding and "code" in coding:
            _translate(coding, "display", f"{base}.options.{coding['code']}", translations)
    for child in item.get("item", []):
        _item(child, sections, translations)


def _item_key(link_id: str) -> str:
    """Return a translation key's stem for an item's linkId (`tried.details.helped` too)."""
    if DETAILS_INFIX in link_id:
        parent, detail = link_id.split(DETAILS_INFIX, 1)
        return f"items.{parent}.details.{detail}"
    return f"items.{link_id}"


def _translate(element: dict, field: str, key: str, translations: dict) -> None:
    if field not in element:
        return
    extensions = [
        translation_extension(language, texts[key])
        for language, texts in sorted(translations.items())
        if key in texts
    ]
    if extensions:
        element[f"_{field}"] = {"extension": extensions}
