"""/healthz says the process serves; /readyz says whether patients can be served, and why not."""

import shutil

import pytest

from .patient.test_cache_sessions import redis_down

pytestmark = pytest.mark.django_db


def test_a_ready_server_says_so_and_shows_no_data(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_names_redis_when_it_is_down_while_liveness_stays_ok(client, settings):
    settings.REDIS_URL = "redis://configured"
    redis_down(settings)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "storage": "ok", "redis": "unavailable"},
    }
    assert client.get("/healthz").status_code == 200


def test_readiness_names_a_lost_private_folder(client, settings):
    shutil.rmtree(settings.MEDIA_ROOT)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["storage"] == "missing"
