"""Check questionnaire files and print every problem of every file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.catalog import definition_files, validate_files


class Command(BaseCommand):
    requires_system_checks = []  # it reports the same problems itself, in full
    help = "Validate questionnaire definition files (default: every file in QUESTIONNAIRE_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        paths = files or definition_files()
        if not paths:
            raise CommandError("No questionnaire files to validate.")
        loaded, errors = validate_files(paths)
        for error in errors:
            self.stderr.write(str(error))
        for definition in loaded:
            self.stdout.write(f"{definition.file}: ok")
        if errors:
            raise CommandError(f"{len(errors)} problem(s) found.")
