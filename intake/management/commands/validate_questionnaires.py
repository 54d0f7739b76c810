"""Check questionnaire files and print every problem of every file, with reading grades."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.catalog import definition_files, validate_files
from intake.questionnaires.readability import MAX_READING_GRADE, reading_grade
from intake.questionnaires.translations import languages, localize


class Command(BaseCommand):
    requires_system_checks = []  # it reports the same problems itself, in full
    help = (
        "Validate questionnaire definition files (default: every file in QUESTIONNAIRE_DIR), "
        "warn about required choices with no 'Not sure', and fail a file whose questions and "
        "options read above the maximum school grade in any language, or whose translation "
        "(i18n/<id>.<language>.yaml) misses an entry or is stale: each named with file, item "
        "and line. `translate_questionnaires` writes the entries to do."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--max-grade",
            type=float,
            default=MAX_READING_GRADE,
            help=f"Highest reading grade allowed for questions and options (default "
            f"{MAX_READING_GRADE:g}).",
        )

    def handle(self, *args, files, max_grade, **options):
        paths = files or definition_files()
        if not paths:
            raise CommandError("No questionnaire files to validate.")
        loaded, errors = validate_files(paths)
        for error in errors:
            self.stderr.write(str(error))
        too_hard = 0
        for definition in loaded:
            for warning in definition.warnings:
                self.stdout.write(f"warning: {warning}")
            for language in languages(definition.questionnaire):
                too_hard += not self.grade(definition, language, max_grade)
        if errors or too_hard:
            raise CommandError(f"{len(errors) + too_hard} problem(s) found.")

    def grade(self, definition, language: str, max_grade: float) -> bool:
        """Print the reading grade of one language of a file; return whether it is plain enough."""
        grade = reading_grade(localize(definition.questionnaire, language), language)
        helps = f", help text {grade.help_grade:g}" if grade.help_grade is not None else ""
        summary = f"reading grade {grade.grade:g} (questions and options{helps})"
        name = definition.file if language == "en" else f"{definition.file} [{language}]"
        if not grade.too_hard(max_grade):
            self.stdout.write(f"{name}: ok, {summary}")
            return True
        hardest = ", ".join(f"{item_id} ({value:g})" for item_id, value in grade.hardest)
        self.stderr.write(
            f"{name}: {summary} is above grade {max_grade:g}; hardest to read: {hardest}"
        )
        return False
