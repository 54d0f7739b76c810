"""Create an API token for a staff user and print it once (only its hash is stored)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Print a new API token for USERNAME; it acts with that user's role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="Valid for this many days.")

    def handle(self, *args, username, days, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if not 1 <= days <= 365:
            raise CommandError("--days must be from 1 to 365.")
        _, token = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
        self.stdout.write(token)
