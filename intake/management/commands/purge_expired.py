"""Remove unsubmitted invitations that expired more than N days ago, with their draft answers."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake.models import Intake, Response
from intake.retention import remove_intakes


class Command(BaseCommand):
    help = "Delete invitations (and draft answers) expired for more than --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Report, delete nothing.")

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        stale = Intake.objects.filter(
            status__in=[Intake.Status.INVITED, Intake.Status.IN_PROGRESS, Intake.Status.CANCELLED],
            expires_at__lt=cutoff,
        )
        count = stale.count()
        drafts = Response.objects.filter(intake__in=stale).exclude(answers={}).count()
        verb = "Would remove" if dry_run else "Removed"
        if not dry_run:
            remove_intakes(stale, removed_by="purge_expired", days=days)
        self.stdout.write(
            f"{verb} {count} invitation(s) expired before {cutoff:%Y-%m-%d %H:%M} UTC, "
            f"{drafts} with draft answers."
        )
