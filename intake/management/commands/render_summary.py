"""Write an intake's summary PDF to a file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from intake.models import Intake
from intake.summary.service import summary_pdf


class Command(BaseCommand):
    help = "Render the summary PDF of one intake (a draft if it is not submitted yet)."

    def add_arguments(self, parser):
        parser.add_argument("intake_id")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, intake_id, output, **options):
        try:
            intake = Intake.objects.get(pk=intake_id)
        except (Intake.DoesNotExist, ValidationError):
            raise CommandError(f"No intake with id {intake_id}.") from None
        pdf = summary_pdf(intake)
        output.write_bytes(pdf)
        draft = "" if intake.status == Intake.Status.SUBMITTED else " (draft)"
        self.stdout.write(f"wrote {output} ({len(pdf):,} bytes){draft}")
