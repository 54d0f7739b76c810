"""Create a demo clinician and a demo invitation for an invented patient, and print them."""

import json
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

from intake.services import create_invitation

DEMO_CLINICIAN = ("demo-clinician", "demo-clinician-pass-2026")


class Command(BaseCommand):
    help = "Create demo logins and a demo invitation (invented people only). Not for production."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("create_demo is for development; DJANGO_ENV is production.")
        clinician = _ensure_user(*DEMO_CLINICIAN)
        invitation = create_invitation(
            patient_name="Alex Example",
            date_of_birth=date(1980, 4, 12),
            clinic_reference="DEMO-001",
            created_by=clinician,
        )
        result = {
            "clinician": {"username": DEMO_CLINICIAN[0], "password": DEMO_CLINICIAN[1]},
            "admin": f"{settings.PUBLIC_BASE_URL}/admin/",
            "patient_link": invitation.link,
            "patient_date_of_birth": "1980-04-12",
        }
        if options["json"]:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(
            "\nDemo data (invented people only)\n"
            f"  Clinician login : {DEMO_CLINICIAN[0]} / {DEMO_CLINICIAN[1]}\n"
            f"  Admin           : {result['admin']}\n"
            f"  Patient link    : {invitation.link}\n"
            f"  Date of birth   : {result['patient_date_of_birth']}\n"
        )


def _dumps(value) -> str:
    return json.dumps(value, indent=2)


def _ensure_user(username: str, password: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="intake"))
    return user
