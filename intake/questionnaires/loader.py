"""Read questionnaire YAML files into `Questionnaire` objects, or into readable problems.

The only module that reads YAML. Every problem names the file, the item path (by ids where the
file gives them) and the line, for example:

    back_injury.yaml:42: sections[now].items[leg_spread].options[3]: unknown key 'score'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .rules import check_rules
from .schema import ID_HINT, ITEM_TYPES, Questionnaire
from .translations import FOLDER, read_translation, translation_files
from .unsure import unsure_warnings

LocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class DefinitionError:
    """One problem in one definition file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass(frozen=True)
class LoadedDefinition:
    """A valid questionnaire and the canonical JSON it is stored and hashed as."""

    questionnaire: Questionnaire
    definition: dict[str, Any]
    content_hash: str
    file: str
    # Advice that does not stop a file loading: a required choice with no "Not sure".
    warnings: tuple[DefinitionError, ...] = ()


class DefinitionInvalid(Exception):
    """A definition file has problems; `errors` lists each one."""

    def __init__(self, errors: list[DefinitionError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def load_file(path: Path | str) -> LoadedDefinition:
    """Load and validate one file; raise `DefinitionInvalid` listing all of its problems."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionInvalid(
            [DefinitionError(path.name, None, "", f"cannot read: {error}")]
        ) from None
    loaded = load_text(text, file=path.name)
    return _with_translations(loaded, path)


def _with_translations(loaded: LoadedDefinition, path: Path) -> LoadedDefinition:
    """Add the definition's translation files; a missing or stale entry refuses the file."""
    files = translation_files(path)
    if not files:
        return loaded
    errors: list[DefinitionError] = []
    translations: dict[str, dict[str, str]] = {}
    for language, translation_path in files.items():
        shown = f"{FOLDER}/{translation_path.name}"
        try:
            text = translation_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(DefinitionError(shown, None, "", f"cannot read: {error}"))
            continue
        texts, problems = read_translation(
            text, file=shown, language=language, definition=loaded.definition
        )
        errors += problems
        translations[language] = texts
    if errors:
        raise DefinitionInvalid(errors)
    definition = {**loaded.definition, "translations": translations}
    return LoadedDefinition(
        questionnaire_from_json(definition),
        definition,
        content_hash(definition),
        loaded.file,
        loaded.warnings,
    )


def load_text(text: str, *, file: str = "<definition>") -> LoadedDefinition:
    """Validate a definition given as YAML text; raise `DefinitionInvalid` on any problem."""
    data, lines = _parse_yaml(text, file)
    if "translations" in data:
        raise DefinitionInvalid(
            [
                DefinitionError(
                    file,
                    _line_for(lines, ("translations",)),
                    "translations",
                    f"translations live in {FOLDER}/<id>.<language>.yaml beside this file",
                )
            ]
        )
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        raise DefinitionInvalid(
            [_from_pydantic(detail, data, lines, file) for detail in error.errors()]
        ) from None
    problems = [
        DefinitionError(file, _line_for(lines, p.path), _readable_path(data, p.path), p.message)
        for p in [*check_rules(questionnaire), *_fhir_problems(questionnaire)]
    ]
    expected_id = Path(file).stem
    if file.endswith((".yaml", ".yml")) and questionnaire.id != expected_id:
        problems.insert(
            0,
            DefinitionError(
                file,
                _line_for(lines, ("id",)),
                "id",
                f"id '{questionnaire.id}' must match the file name '{expected_id}'",
            ),
        )
    if problems:
        raise DefinitionInvalid(problems)
    definition = questionnaire.model_dump(mode="json", by_alias=True, exclude_none=True)
    warnings = tuple(
        DefinitionError(file, _line_for(lines, w.path), _readable_path(data, w.path), w.message)
        for w in unsure_warnings(questionnaire)
    )
    return LoadedDefinition(questionnaire, definition, content_hash(definition), file, warnings)


def _fhir_problems(questionnaire: Questionnaire):
    # Imported here: the FHIR mapping reads this package's models.
    from ..interop.fhir import condition_problems

    return condition_problems(questionnaire)


def content_hash(definition: dict[str, Any]) -> str:
    """Return the SHA-256 of a definition's canonical JSON (formatting and comments ignored)."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def questionnaire_from_json(definition: dict[str, Any]) -> Questionnaire:
    """Rebuild a stored definition (already validated when it was loaded)."""
    return Questionnaire.model_validate(definition)


# --- YAML with line numbers -----------------------------------------------------------------


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that refuses duplicate keys instead of keeping the last one silently.

    LibYAML's parser (in PyYAML's wheels) when there is one: ten times faster than PyYAML's own,
    with the same nodes, marks and errors.
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text: str, file: str) -> tuple[Any, dict[LocPath, int]]:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionInvalid(
            [DefinitionError(file, line, "", f"not valid YAML: {problem}")]
        ) from None
    if not isinstance(data, dict):
        raise DefinitionInvalid(
            [DefinitionError(file, 1, "", "expected a mapping with id, title and sections")]
        )
    lines: dict[LocPath, int] = {}
    _index_lines(node, (), lines)
    return data, lines


def _index_lines(node: yaml.Node, path: LocPath, lines: dict[LocPath, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            _index_lines(value_node, key_path, lines)
            lines[key_path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _index_lines(child, (*path, index), lines)


def _line_for(lines: dict[LocPath, int], path: LocPath) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


# --- readable pydantic errors ---------------------------------------------------------------


def _from_pydantic(detail: dict, data: Any, lines: dict, file: str) -> DefinitionError:
    loc = _data_path(data, detail["loc"])
    message = _message(detail, data, loc)
    shown = loc[:-1] if detail["type"] == "missing" else loc  # the key is not in the file
    return DefinitionError(file, _line_for(lines, shown), _readable_path(data, shown), message)


def _data_path(data: Any, loc: tuple) -> LocPath:
    """Drop the union tags pydantic inserts into locations, keeping the path into the file."""
    path: list[str | int] = []
    node, expect = data, None
    for step in loc:
        if expect is not None and step == expect:
            expect = None
            continue
        if step == "in_" and isinstance(node, dict) and "in" in node:
            step = "in"
        expect = _expected_tag(path, step, _child(node, step))
        path.append(step)
        node = _child(node, step)
    return tuple(path)


def _expected_tag(path: list, step: str | int, child: Any) -> str | None:
    """Return the union tag pydantic puts after this step, if any."""
    if not isinstance(child, dict):
        return None
    parent_key = path[-1] if path else None
    if isinstance(step, int) and parent_key in ("items", "details"):
        return child.get("type")
    if step == "show_if" or (isinstance(step, int) and parent_key in ("all", "any")):
        return next((kind for kind in ("all", "any") if kind in child), "item")
    return None


def _child(node: Any, step: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _message(detail: dict, data: Any, loc: LocPath) -> str:
    kind, name = detail["type"], loc[-1] if loc else ""
    parent = data
    for step in loc[:-1]:
        parent = _child(parent, step)
    if kind == "extra_forbidden":
        item_type = parent.get("type") if isinstance(parent, dict) else None
        if item_type in ITEM_TYPES and name in _KEYS_OF_SOME_TYPE:
            return f"'{name}' is not allowed on a {item_type} item"
        return f"unknown key '{name}'"
    if kind == "missing":
        return f"missing required key '{name}'"
    if kind == "union_tag_invalid":
        tag = detail.get("ctx", {}).get("tag")
        return f"unknown type {tag!r}; use one of: " + ", ".join(ITEM_TYPES)
    if kind == "union_tag_not_found":
        return "missing required key 'type'"
    if kind == "string_pattern_mismatch":
        return f"{detail['input']!r} is not a valid id: {ID_HINT}"
    if kind == "too_short" and isinstance(detail.get("input"), list):
        needed = detail.get("ctx", {}).get("min_length", 1)
        if name == "items":
            return "a group or section needs at least one item; this one is empty"
        return f"'{name}' needs at least {needed} entr{'y' if needed == 1 else 'ies'}"
    if kind == "value_error":
        return str(detail["ctx"]["error"])
    return detail["msg"][:1].lower() + detail["msg"][1:]


def _keys_of_some_type() -> set[str]:
    from . import schema

    keys: set[str] = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, schema.ItemBase):
            keys.update(model.model_fields)
    return keys


_KEYS_OF_SOME_TYPE = _keys_of_some_type()


def _readable_path(data: Any, path: LocPath) -> str:
    """Render a path with ids where the file gives them: sections[where].items[areas].help."""
    parts: list[str] = []
    node = data
    for step in path:
        child = _child(node, step)
        if isinstance(step, int):
            label = child.get("id") if isinstance(child, dict) else None
            parts[-1] += f"[{label if isinstance(label, str) and label else step}]"
        else:
            parts.append(str(step))
        node = child
    return ".".join(parts)
