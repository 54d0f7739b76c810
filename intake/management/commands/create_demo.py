"""Create demo logins and demo intakes in every status (invented people only), and print them."""

import json
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake
from intake.retention import remove_intakes
from intake.roles import ensure_roles

CLINICIAN = ("demo-clinician", "demo-clinician-pass-2026")
FRONT_DESK = ("demo-frontdesk", "demo-frontdesk-pass-2026")
# A superuser for the Django admin: a new random password on every run, never a fixed one.
ADMINISTRATOR = "demo-admin"
DEMO_PREFIX = "DEMO-"
PATIENTS = [
    # reference, name, date of birth, what to do with it
    ("DEMO-001", "Alex Example", date(1980, 4, 12), "invited"),
    ("DEMO-002", "Jordan Sample", date(1972, 11, 3), "in_progress"),
    ("DEMO-003", "Casey Placeholder", date(1966, 2, 27), "submitted"),
    ("DEMO-004", "Morgan Fictional", date(1991, 7, 19), "expired"),
    ("DEMO-005", "Riley Madeup", date(1958, 9, 8), "cancelled"),
]


class Command(BaseCommand):
    help = "Create demo logins and demo intakes (invented people only). Not for production."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("create_demo is for development; DJANGO_ENV is production.")
        result = create_demo()
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        lines = ["", "Demo data (invented people only)"]
        for role, login in result["logins"].items():
            lines.append(f"  {role:<13} {login['username']} / {login['password']}")
        lines.append(f"  Sign in       {result['sign_in']}")
        lines.append(f"  Admin         {result['admin']} (administrator login, development only)")
        for patient in result["patients"]:
            link = patient["link"] or "(no link: " + patient["status"] + ")"
            lines.append(
                f"  {patient['status']:<11} {patient['name']}, born "
                f"{patient['date_of_birth']}: {link}"
            )
        self.stdout.write("\n".join(lines) + "\n")


@transaction.atomic
def create_demo() -> dict:
    ensure_roles()
    clinician = _user(*CLINICIAN, group="Clinicians", staff=True)
    _user(*FRONT_DESK, group="Front desk", staff=False)
    administrator = _administrator()
    # The earlier demo intakes go by the retention path, the only one the database allows.
    remove_intakes(
        Intake.objects.filter(clinic_reference__startswith=DEMO_PREFIX), removed_by="create_demo"
    )
    patients = []
    for reference, name, born, status in PATIENTS:
        invitation = services.create_invitation(
            patient_name=name,
            date_of_birth=born,
            clinic_reference=reference,
            created_by=clinician,
        )
        _bring_to(invitation.intake, status, clinician)
        open_link = status in ("invited", "in_progress")
        patients.append(
            {
                "name": name,
                "reference": reference,
                "date_of_birth": born.isoformat(),
                "status": status,
                "intake_id": str(invitation.intake.pk),
                "link": invitation.link if open_link else None,
            }
        )
    return {
        "sign_in": f"{settings.PUBLIC_BASE_URL}/accounts/login/",
        "admin": f"{settings.PUBLIC_BASE_URL}/admin/",
        "logins": {
            "clinician": {"username": CLINICIAN[0], "password": CLINICIAN[1]},
            "front_desk": {"username": FRONT_DESK[0], "password": FRONT_DESK[1]},
            "administrator": {"username": ADMINISTRATOR, "password": administrator},
        },
        "patients": patients,
        "patient_link": patients[0]["link"],
    }


def _bring_to(intake: Intake, status: str, clinician) -> None:
    responses = intake.responses.select_related("intake", "questionnaire_version")
    if status == "in_progress":
        twitch = responses.get(questionnaire_version__slug="twitch_history")
        services.save_answers(response=twitch, answers=DEMO_ANSWERS["twitch_history"], revision=0)
        services.record_progress(intake=intake, resume_at="back_injury:injuries_page")
    elif status == "submitted":
        for response in responses:
            slug = response.questionnaire_version.slug
            services.save_answers(response=response, answers=DEMO_ANSWERS[slug], revision=0)
        services.submit_intake(intake=intake)
    elif status == "expired":
        Intake.objects.filter(pk=intake.pk).update(expires_at=timezone.now() - timedelta(days=2))
    elif status == "cancelled":
        services.cancel_invitation(intake=intake, by=clinician)


def _administrator() -> str:
    """Make the demo superuser with a new random password; return the password."""
    if settings.PRODUCTION:  # the command refuses already; a superuser must never come from here
        raise CommandError("create_demo is for development; DJANGO_ENV is production.")
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def _user(username: str, password: str, *, group: str, staff: bool):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = staff
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    if staff:  # read-only Django admin for the demo clinician
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="intake", codename__startswith="view_"
            )
        )
    return user
