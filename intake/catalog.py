"""The clinic's questionnaires: validate the files, store new versions, find the current ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from .models import QuestionnaireVersion
from .questionnaires.loader import DefinitionError, DefinitionInvalid, LoadedDefinition, load_file


@dataclass(frozen=True)
class LoadOutcome:
    slug: str
    version: int
    created: bool

    def __str__(self) -> str:
        if self.created:
            return f"{self.slug}: stored version {self.version}"
        return f"{self.slug}: unchanged (version {self.version})"


def definition_files(directory: Path | None = None) -> list[Path]:
    """Return the questionnaire files of a folder, sorted by name."""
    folder = Path(directory or settings.QUESTIONNAIRE_DIR)
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def validate_files(paths: Iterable[Path]) -> tuple[list[LoadedDefinition], list[DefinitionError]]:
    """Load every file; return the valid definitions and every problem of every file."""
    loaded: list[LoadedDefinition] = []
    errors: list[DefinitionError] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            definition = load_file(path)
        except DefinitionInvalid as invalid:
            errors.extend(invalid.errors)
            continue
        slug = definition.questionnaire.id
        if slug in seen:
            message = f"questionnaire id '{slug}' is also used by {seen[slug]}"
            errors.append(DefinitionError(definition.file, None, "id", message))
            continue
        seen[slug] = definition.file
        loaded.append(definition)
    return loaded, errors


@transaction.atomic
def store_definitions(definitions: Iterable[LoadedDefinition]) -> list[LoadOutcome]:
    """Store a new version of each definition whose content changed; keep the others."""
    outcomes = []
    for definition in definitions:
        slug = definition.questionnaire.id
        existing = QuestionnaireVersion.objects.filter(
            slug=slug, content_hash=definition.content_hash
        ).first()
        if existing is not None:
            outcomes.append(LoadOutcome(slug, existing.version, created=False))
            continue
        latest = QuestionnaireVersion.objects.filter(slug=slug).aggregate(Max("version"))
        version = (latest["version__max"] or 0) + 1
        QuestionnaireVersion.objects.create(
            slug=slug,
            version=version,
            title=definition.questionnaire.title,
            content_hash=definition.content_hash,
            definition=definition.definition,
            source_file=definition.file,
        )
        outcomes.append(LoadOutcome(slug, version, created=True))
    return outcomes


def current_versions(slugs: Iterable[str] | None = None) -> list[QuestionnaireVersion]:
    """Return the newest version of each questionnaire, in the order asked (default: the
    clinic's configured order, then any others by slug)."""
    newest: dict[str, QuestionnaireVersion] = {}
    for version in QuestionnaireVersion.objects.order_by("slug", "-version"):
        newest.setdefault(version.slug, version)
    if slugs is None:
        order = [slug for slug in settings.QUESTIONNAIRE_ORDER if slug in newest]
        slugs = order + sorted(set(newest) - set(order))
    return [newest[slug] for slug in slugs if slug in newest]
