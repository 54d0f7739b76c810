"""Fixtures shared by every test: fast hashing, loaded questionnaires, role users."""

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent
DEFS = ROOT / "questionnaire_defs"

# Generated examples per property test (the ones that do not set their own number): the
# everyday run tries 50; HYPOTHESIS_PROFILE=deep tries 200, as CI's PostgreSQL pass does.
hypothesis_settings.register_profile("quick", max_examples=50)
hypothesis_settings.register_profile("deep", max_examples=200)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "PUBLIC_BASE_URL": "https://intake.example.test",
}


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test to the next


@functools.cache
def _shipped_definitions() -> tuple:
    """The shipped definitions, read and checked once per test process (the files do not change
    during a run); most tests then only store them, which is all their database needs."""
    from intake import catalog

    loaded, errors = catalog.validate_files(catalog.definition_files(DEFS))
    assert not errors, errors
    return tuple(loaded)


def load_questionnaires():
    """Load the shipped questionnaires; return their versions in the clinic's order."""
    from intake import catalog

    catalog.store_definitions(_shipped_definitions())
    return catalog.current_versions()


@pytest.fixture
def questionnaires(db):
    return load_questionnaires()


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
    return submit_demo_intake()


def submit_demo_intake():
    """Submit an intake with the invented demo answers to all four questionnaires."""
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


@dataclass(frozen=True)
class RenderedDemo:
    intake_id: UUID
    pdf: bytes
    document: Any  # intake.summary.document's IntakeDocument, imported once Django is set up


@contextmanager
def rolled_back(django_db_blocker, media_root: Path) -> Iterator[None]:
    """Use the test database, with the tests' settings, in a transaction that is rolled back.

    For fixtures wider than one test (a PDF rendered once and read by several tests): what
    they write no test sees, and files go to `media_root`, not the private folder.
    """
    from django.db import transaction
    from django.test import override_settings

    media_root.mkdir(parents=True, exist_ok=True)
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, **TEST_SETTINGS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def demo_render(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo intake's submitted summary PDF, rendered once per test process.

    Return its intake's id, the PDF and the document it was printed from. The intake itself
    is rolled back: a test that needs it in the database uses `submitted_intake`.
    """
    from intake.models import Intake
    from intake.summary.document import intake_document
    from intake.summary.service import summary_pdf

    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("demo-render")):
        load_questionnaires()
        intake = Intake.objects.get(pk=submit_demo_intake().pk)
        rendered = RenderedDemo(intake.pk, summary_pdf(intake), intake_document(intake))
    return rendered
