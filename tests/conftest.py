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


@pytest.fixture
def clinician(django_user_model):
    return django_user_model.objects.create_user("clinician", password="unused-in-tests-123")
