"""Fixtures shared by every test: fast hashing, loaded questionnaires, role users."""

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFS = ROOT / "questionnaire_defs"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PUBLIC_BASE_URL = "https://intake.example.test"
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test to the next


@pytest.fixture
def questionnaires(db):
    """Load the four shipped questionnaires; return their versions in the clinic's order."""
    from intake import catalog

    loaded, errors = catalog.validate_files(catalog.definition_files(DEFS))
    assert not errors, errors
    catalog.store_definitions(loaded)
    return catalog.current_versions()


@pytest.fixture
def invitation(questionnaires):
    from intake.services import create_invitation

    return create_invitation(
        patient_name="Robin Testperson",
        date_of_birth=date(1975, 6, 30),
        clinic_reference="T-100",
    )


def _staff(django_user_model, username: str, group: str):
    from django.contrib.auth.models import Group

    from intake.roles import ensure_roles

    ensure_roles()  # a transactional test's flush empties the groups the migration made
    user = django_user_model.objects.create_user(username, password="correct-horse-battery")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def clinician(django_user_model):
    return _staff(django_user_model, "clinician", "Clinicians")


@pytest.fixture
def front_desk(django_user_model):
    return _staff(django_user_model, "frontdesk", "Front desk")


@pytest.fixture
def submitted_intake(questionnaires):
    """An intake with the invented demo answers to all four questionnaires, submitted."""
    from intake import services
    from intake.demo import DEMO_ANSWERS

    invitation = services.create_invitation(
        patient_name="Casey Placeholder",
        date_of_birth=date(1966, 2, 27),
        clinic_reference="CHART-42",
    )
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response,
            answers=DEMO_ANSWERS[response.questionnaire_version.slug],
            revision=0,
        )
    return services.submit_intake(intake=invitation.intake)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT.mkdir()  # as the deployment steps create it
