"""Write or update the translation files of the questionnaires, for a translator to fill in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.catalog import definition_files
from intake.questionnaires.loader import DefinitionInvalid, load_text
from intake.questionnaires.translations import (
    FOLDER,
    existing_entries,
    translation_skeleton,
)


class Command(BaseCommand):
    requires_system_checks = []  # it is how a stale translation gets fixed
    help = (
        "Write i18n/<id>.<language>.yaml beside each questionnaire file: current translations "
        "are kept, missing ones are added empty and stale ones are marked, each under the "
        "English it translates. Then run validate_questionnaires."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument("--language", required=True, help="For example: es")

    def handle(self, *args, files, language, **options):
        paths = files or definition_files()
        if not paths:
            raise CommandError("No questionnaire files.")
        for path in paths:
            try:  # the English alone: its translation may be what is broken
                loaded = load_text(path.read_text(encoding="utf-8"), file=path.name)
            except DefinitionInvalid as invalid:
                raise CommandError(f"Fix the English first:\n{invalid}") from None
            target = path.parent / FOLDER / f"{path.stem}.{language}.yaml"
            old = target.read_text(encoding="utf-8") if target.exists() else ""
            text = translation_skeleton(
                loaded.definition,
                language=language,
                existing=existing_entries(old) if old else {},
                source_file=path.name,
            )
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            todo = text.count('text: ""') + text.count("# STALE")
            entries = "entry" if todo == 1 else "entries"
            self.stdout.write(f"{FOLDER}/{target.name}: {todo} {entries} to do")
