"""Store a new version of each questionnaire whose file changed."""

from django.core.management.base import BaseCommand, CommandError

from intake.catalog import definition_files, store_definitions, validate_files


class Command(BaseCommand):
    requires_system_checks = []  # it reports the problems itself and loads nothing
    help = "Load the questionnaire files; changed ones become a new version, others stay."

    def handle(self, *args, **options):
        loaded, errors = validate_files(definition_files())
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError("Nothing loaded: fix the problems above first.")
        for outcome in store_definitions(loaded):
            self.stdout.write(str(outcome))
