"""Browser fixtures: Debian's Chromium on a phone-sized touch screen, questionnaires, patients.

`make test-browser` runs these tests in several pytest-xdist workers. Each has its own test
database, live server (on a free port: never pass --liveserver with a port), Chromium and
local-memory cache (tests/conftest.py), and each test writes its own screenshot files; a test
that needs something shared between processes must carry an xdist_group.
"""

import os
from datetime import date
from pathlib import Path

import pytest

from intake import catalog
from intake.services import create_invitation

from ..definitions import VERSION_1
from .patient_pages import NAVIGATION_TIMEOUT, PHONE, Patient

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + page + ORM in one test

DEFINITIONS = Path(__file__).resolve().parents[2] / "questionnaire_defs"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.fixture(scope="session")
def base_url():
    """Links are built from live_server.url (this also replaces a deprecated plugin fixture)."""
    return None


def read_definitions(folder: Path) -> list:
    loaded, errors = catalog.validate_files(catalog.definition_files(folder))
    assert not errors, errors
    return loaded


@pytest.fixture(scope="session")
def shipped_definitions():
    """The questionnaires the service ships, read and checked once (no database)."""
    return read_definitions(DEFINITIONS)


@pytest.fixture(scope="session")
def version_1_definitions():
    """The four questionnaires as version 1 shipped them (tests/definitions/v1), frozen."""
    return read_definitions(VERSION_1)


@pytest.fixture
def definitions(shipped_definitions):
    """The questionnaires a test's patients answer: the shipped ones, unless a module that
    tests the engine or the pages overrides this with `version_1_definitions`."""
    return shipped_definitions


@pytest.fixture
def questionnaires(transactional_db, definitions):
    """Store the questionnaires where the live server's thread can read them."""
    catalog.store_definitions(definitions)
    return catalog.current_versions()


@pytest.fixture
def invite(questionnaires, live_server):
    """Return a function that invites an invented patient and returns the invitation and link."""

    def invite_patient(name: str = "Avery Example", birth_date: date = date(1979, 4, 18)):
        invitation = create_invitation(patient_name=name, date_of_birth=birth_date)
        return invitation, f"{live_server.url}/i/{invitation.token}/"

    return invite_patient


@pytest.fixture
def new_phone(browser):
    """Return a function that opens a page on a new device (a new browser context)."""
    contexts = []

    def open_page(*, javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript, **PHONE)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def patient(invite, page):
    """An invented patient with a new link, on the test's own phone (JavaScript on)."""
    invitation, link = invite()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
    return Patient(page, link, invitation.intake.date_of_birth, invitation.intake)
