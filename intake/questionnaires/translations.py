"""Translations of a questionnaire: a file beside the definition, checked against the English.

`questionnaire_defs/i18n/<id>.<lang>.yaml` holds every text the patient reads, keyed by section
id, item id and option value; each entry carries a short hash of the English it translates, so
a changed English text makes its translation stale until a translator looks at it again:

    language: es
    title: {source: 3f2a91c0, text: Espasmos musculares}
    sections:
      where:
        title: {source: 0b1c2d3e, text: Dónde}
    items:
      areas:
        text: {source: 9a8b7c6d, text: ¿Dónde siente los espasmos?}
        options:
          left_calf: {source: 1f2e3d4c, text: Pantorrilla izquierda}

The loader stores the translations inside the definition it hashes, so a changed translation
makes a new questionnaire version, and an intake keeps the wording its patient read.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .schema import Questionnaire

ITEM_FIELDS = (
    "text",
    "help",
    "short_text",
    "unit",
    "min_label",
    "max_label",
    "entry_label",
    "add_label",
)
FOLDER = "i18n"
HASH_LENGTH = 8


def source_hash(english: str) -> str:
    """Return the short hash of an English text (spacing ignored)."""
    return hashlib.sha256(" ".join(english.split()).encode()).hexdigest()[:HASH_LENGTH]


def _slots(definition: dict) -> Iterator[tuple[str, dict, str]]:
    """Yield (key, the dict holding the text, field name) for every text a patient reads."""
    for name in ("title", "description"):
        if definition.get(name):
            yield name, definition, name
    for section in definition["sections"]:
        for name in ("title", "intro"):
            if section.get(name):
                yield f"sections.{section['id']}.{name}", section, name
        for item in section["items"]:
            yield from _item_slots(item, "items")


def _item_slots(item: dict, prefix: str) -> Iterator[tuple[str, dict, str]]:
    base = f"{prefix}.{item['id']}"
    for name in ITEM_FIELDS:
        if item.get(name):
            yield f"{base}.{name}", item, name
    for option in item.get("options") or ():
        yield f"{base}.options.{option['value']}", option, "label"
    for child in item.get("details") or ():
        yield from _item_slots(child, f"{base}.details")
    for child in item.get("items") or ():  # a group's items: ids are unique in a questionnaire
        yield from _item_slots(child, "items")


def english_texts(definition: dict) -> dict[str, str]:
    """Return every translatable English text of a definition (its JSON form), by key."""
    return {key: holder[name] for key, holder, name in _slots(definition)}


def localize_definition(definition: dict, language: str) -> dict:
    """Return a definition's JSON with the texts of `language` in place of the English."""
    texts = (definition.get("translations") or {}).get(language)
    localized = copy.deepcopy(definition)
    localized.pop("translations", None)
    if texts:
        for key, holder, name in _slots(localized):
            if key in texts:
                holder[name] = texts[key]
    return localized


def localize(questionnaire: Questionnaire, language: str) -> Questionnaire:
    """Return the questionnaire as a patient reading `language` sees it (or English)."""
    if language not in (questionnaire.translations or {}):
        return questionnaire
    definition = questionnaire.model_dump(mode="json", by_alias=True, exclude_none=True)
    return Questionnaire.model_validate(localize_definition(definition, language))


def languages(questionnaire: Questionnaire) -> list[str]:
    """Return the languages a questionnaire can be read in: English, then its translations."""
    return ["en", *sorted(questionnaire.translations or {})]


def translation_files(definition_path: Path) -> dict[str, Path]:
    """Return the translation files of a definition file, by language."""
    folder = definition_path.parent / FOLDER
    found = {}
    for path in sorted(folder.glob(f"{definition_path.stem}.*.yaml")):
        language = path.name[len(definition_path.stem) + 1 : -len(".yaml")]
        if language and "." not in language:
            found[language] = path
    return found


# --- reading and checking a translation file -------------------------------------------------


def read_translation(
    text: str, *, file: str, language: str, definition: dict
) -> tuple[dict[str, str], list]:
    """Return the translated texts by key and every problem (missing, stale, unknown) with its line.

    `definition` is the English definition's JSON form.
    """
    from .loader import DefinitionError, DefinitionInvalid, _line_for, _parse_yaml

    try:
        data, lines = _parse_yaml(text, file)
    except DefinitionInvalid as invalid:
        return {}, invalid.errors
    problems: list[DefinitionError] = []

    def problem(path: tuple, key: str, message: str) -> None:
        problems.append(DefinitionError(file, _line_for(lines, path), key, message))

    if data.get("language") != language:
        problem(("language",), "language", f"must be '{language}', as the file name says")
    english = english_texts(definition)
    found = dict(_entries(data))
    texts: dict[str, str] = {}
    for key, source in english.items():
        path = tuple(key.split("."))
        entry = found.pop(key, None)
        if entry is None:
            problem(
                _present_parent(path, lines),
                key,
                f"missing: no translation of “{_short(source)}” (source: {source_hash(source)})",
            )
            continue
        if not isinstance(entry, dict) or set(entry) != {"source", "text"}:
            problem(path, key, "each entry needs exactly 'source' (the hash) and 'text'")
            continue
        translated = str(entry["text"] or "").strip()
        if not translated:
            problem((*path, "text"), key, "the translation is empty")
        elif str(entry["source"]) != source_hash(source):
            problem(
                (*path, "source"),
                key,
                f"stale: the English changed since this was translated; it now reads "
                f"“{_short(source)}” (source: {source_hash(source)})",
            )
        else:
            texts[key] = translated
    for key in found:
        problem(tuple(key.split(".")), key, "unknown: the English definition has no such text")
    if not problems:
        problems += _too_long(definition, language, texts, file)
    return texts, problems


def _entries(data: dict, prefix: tuple = ()) -> Iterator[tuple[str, Any]]:
    """Yield (key, entry) for every leaf entry of a translation file."""
    for name, value in data.items():
        if not prefix and name == "language":
            continue
        path = (*prefix, str(name))
        if isinstance(value, dict) and any(isinstance(one, dict) for one in value.values()):
            yield from _entries(value, path)
        else:
            yield ".".join(path), value


def _present_parent(path: tuple, lines: dict) -> tuple:
    """Return the longest start of `path` the file has, so a missing entry names a real line."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return path[:end]
    return ()


def _too_long(definition: dict, language: str, texts: dict, file: str) -> list:
    from .loader import DefinitionError

    trial = localize_definition({**definition, "translations": {language: texts}}, language)
    try:
        Questionnaire.model_validate(trial)
    except ValidationError as error:
        return [
            DefinitionError(file, None, ".".join(map(str, e["loc"])), e["msg"])
            for e in error.errors()
        ]
    return []


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- writing a file for a translator ---------------------------------------------------------


def translation_skeleton(
    definition: dict, *, language: str, existing: dict[str, Any], source_file: str
) -> str:
    """Return a translation file for `definition`: current entries kept, the rest to do.

    Each entry is headed by the English it translates. A missing entry gets an empty text; a
    stale one keeps its old text and old hash under a "STALE" comment giving the new hash: the
    validator refuses both until a translator has written or checked the text.
    """
    lines = [
        f"# {language} translation of {source_file}. Each entry: the hash of the English it",
        "# translates (source) and the translation (text). After changing the English, run",
        f"# `manage.py translate_questionnaires --language {language}` and fix what it marks.",
        f"language: {language}",
    ]
    written: list[str] = []
    texts = english_texts(definition)
    order = ("title", "description", "sections", "items")
    for key in sorted(texts, key=lambda key: order.index(key.split(".")[0])):
        english = texts[key]
        path = key.split(".")
        common = 0
        while common < min(len(written), len(path) - 1) and written[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):
            lines.append(f"{'  ' * depth}{_key(path[depth])}:")
        written = path[:-1]
        indent = "  " * (len(path) - 1)
        entry = existing.get(key)
        old = str(entry.get("text") or "") if isinstance(entry, dict) else ""
        stale = bool(old) and str(entry.get("source")) != source_hash(english)
        lines.append(f"{indent}{_key(path[-1])}:  # {_one_line(english)}")
        source = source_hash(english)
        if stale:
            lines.append(
                f"{indent}  # STALE: translated from other English. Check the text, then set "
                f"source: {source}"
            )
            source = str(entry.get("source"))
        lines.append(f"{indent}  source: {_scalar(source)}")
        lines.append(f"{indent}  text: {_quoted(old)}")
    return "\n".join(lines) + "\n"


def existing_entries(text: str) -> dict[str, Any]:
    """Return the entries of a translation file by key (an unreadable file gives none)."""
    from .loader import DefinitionInvalid, _parse_yaml

    try:
        data, _ = _parse_yaml(text, "translation")
    except DefinitionInvalid:
        return {}
    return dict(_entries(data))


def _key(name: str) -> str:
    """Quote a key YAML would read as something else: an option value `no` is not False."""
    import yaml

    return name if yaml.safe_load(f"{name}: 1") == {name: 1} else f'"{name}"'


def _scalar(text: str) -> str:
    """Quote a hash YAML would read as a number (00677102 is an octal integer to YAML 1.1)."""
    import yaml

    return text if yaml.safe_load(text) == text else f'"{text}"'


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> str:
    import json

    return json.dumps(_one_line(text), ensure_ascii=False)
