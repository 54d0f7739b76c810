"""A dependency outage answers 503 with Retry-After, logs once, and loses no saved answer."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from intake import outages
from intake.models import Response

from .api.conftest import ROBIN_BORN
from .patient.conftest import open_link
from .patient.test_cache_sessions import redis_down

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_yet():
    """Each test starts outside an outage: its first failure is logged afresh."""
    outages.CACHE.reset()
    outages.DATABASE.reset()


@pytest.fixture
def web():
    return Client(raise_request_exception=False)


def test_opening_a_link_while_redis_is_down_works(web, invitation, settings):
    redis_down(settings)  # the guessing guard on unknown links fails open
    opened = web.get(f"/i/{invitation.token}/")
    assert opened.status_code == 302
    assert opened["Location"] == "/patient/verify/"


def test_the_birth_date_check_waits_for_redis_with_a_503_page(web, invitation, settings):
    redis_down(settings)  # its try limit fails closed
    response = open_link(web, invitation)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()


def test_the_patient_api_answers_503_json_while_its_birth_date_limit_is_down(invitation, settings):
    redis_down(settings)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_X_INTAKE_TOKEN=invitation.token, HTTP_X_INTAKE_BIRTH_DATE=ROBIN_BORN)
    response = api.get("/api/v1/patient/intake/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "service_unavailable",
        "detail": "The service is briefly unavailable. Try again in a few seconds.",
    }


def test_an_invitation_without_birth_date_saves_through_the_api_while_redis_is_down(
    questionnaires, settings
):
    from intake import services

    invitation = services.create_invitation(patient_name="Ada Nobirth", date_of_birth=None)
    redis_down(settings)
    api = APIClient()
    api.credentials(
        HTTP_X_INTAKE_TOKEN=invitation.token, HTTP_X_INTAKE_DEVICE="ada-phone-" + "k" * 30
    )
    saved = api.put(
        "/api/v1/patient/responses/surgeries/",
        {"revision": 0, "answers": {"had_surgery": "no"}},
        format="json",
    )
    assert saved.status_code == 200
    stored = Response.objects.get(intake=invitation.intake, questionnaire_version__slug="surgeries")
    assert stored.answers == {"had_surgery": "no"}


def test_an_outage_logs_its_first_failure_once_without_a_traceback(
    web, invitation, settings, caplog
):
    redis_down(settings)
    with caplog.at_level(logging.INFO):
        statuses = [open_link(web, invitation).status_code for _ in range(5)]
    assert statuses == [503] * 5
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    outage = [r for r in warnings if r.name == "intake.outages"]
    assert len(outage) == 1
    assert "redis.exceptions.ConnectionError" in outage[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]
    assert not [r for r in caplog.records if r.name == "django.request"]
    assert "Testperson" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_stuck_database_gives_the_page_back_with_what_the_patient_typed(web, invitation):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): a row lock held by another connection")
    import psycopg

    assert open_link(web, invitation).status_code == 302
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    ) as other:
        other.execute(
            "SELECT 1 FROM intake_intake WHERE id = %s FOR UPDATE", [invitation.intake.pk]
        )
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")  # the database stops answering
        try:
            page = web.post(
                "/patient/step/1/", {"revision": 0, "action": "next", "areas": ["calf_left"]}
            )
        finally:
            connection.close()  # and the next connection has its usual timeout
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    text = page.content.decode()
    assert "We could not save just now. Your answers are still here" in text
    assert 'value="calf_left" checked' in text
    assert Response.objects.get(intake=invitation.intake, position=0).answers == {}
