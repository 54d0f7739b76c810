"""HTTP as clients expect it: Bearer tokens, 201 with Location, Idempotency-Key, ETag/If-Match."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from intake.models import Intake

from .conftest import invitation_client, put_answers, stored_answers

pytestmark = pytest.mark.django_db

SURGERY = {"surgery_description": "Appendix removed", "surgery_when": "2015-03"}


def bearer_client(user) -> APIClient:
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def create(client: APIClient, key: str | None = None, **fields):
    body = {"patient_name": "Jamie Newcomer", **fields}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/intakes/", body, format="json", **headers)


def test_a_bearer_token_is_accepted_like_a_token_one(front_desk, questionnaires):
    response = bearer_client(front_desk).get("/api/v1/intakes/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_an_unknown_bearer_token_is_401_with_a_bearer_challenge(questionnaires):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + "0" * 64)
    response = client.get("/api/v1/intakes/")
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Bearer"


def test_creating_an_invitation_is_201_with_the_location_of_the_intake(
    front_desk, clinician, questionnaires
):
    response = create(bearer_client(front_desk))
    assert response.status_code == 201
    intake = Intake.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/intakes/{intake.pk}/"
    read = bearer_client(clinician).get(response["Location"])
    assert read.json()["patient_name"] == "Jamie Newcomer"


def test_a_retry_with_the_same_idempotency_key_creates_nothing_more(front_desk, questionnaires):
    client = bearer_client(front_desk)
    first = create(client, key="7f0c1c1e-retry-1")
    assert first.status_code == 201
    retried = create(client, key="7f0c1c1e-retry-1")
    assert retried.status_code == 409
    assert retried.json() == {
        "code": "already_created",
        "detail": "An invitation was already created with this Idempotency-Key. Its link is "
        "shown only once: re-issue the link to get a new one.",
        "intake_id": first.json()["id"],
    }
    assert Intake.objects.count() == 1
    # The link's token is never kept, not even for the retry.
    token = first.json()["link"].rstrip("/").rsplit("/", 1)[1]
    kept = b"".join(cache._cache.values())  # the local-memory cache of the tests, pickled
    assert first.json()["id"].encode() in kept
    assert token.encode() not in kept


def test_the_same_idempotency_key_with_another_body_is_422(front_desk, questionnaires):
    client = bearer_client(front_desk)
    assert create(client, key="key-1").status_code == 201
    response = create(client, key="key-1", patient_name="Someone Else")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert list(Intake.objects.values_list("patient_name", flat=True)) == ["Jamie Newcomer"]


def test_idempotency_keys_are_per_user_and_a_refused_body_keeps_the_key_free(
    front_desk, clinician, questionnaires
):
    refused = create(bearer_client(front_desk), key="shared", questionnaires=["astrology"])
    assert refused.status_code == 400
    assert create(bearer_client(front_desk), key="shared").status_code == 201
    assert create(bearer_client(clinician), key="shared").status_code == 201
    assert Intake.objects.count() == 2


def test_if_match_replaces_the_body_revision_and_the_reply_has_an_etag(patient_client, invitation):
    response = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        {"answers": {"had_surgery": "no"}},
        format="json",
        HTTP_IF_MATCH='"0"',
    )
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    again = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        {"answers": {"had_surgery": "yes", "surgery_list": [SURGERY]}},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert again.status_code == 200
    assert again.json()["revision"] == 2


def test_a_stale_if_match_is_412_with_the_conflict_body_and_changes_nothing(
    patient_client, invitation
):
    assert put_answers(patient_client, "surgeries", {"had_surgery": "no"}).status_code == 200
    response = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        {"answers": {"had_surgery": "yes", "surgery_list": [SURGERY]}},
        format="json",
        HTTP_IF_MATCH='"0"',
    )
    assert response.status_code == 412
    assert response.json() == {
        "code": "revision_conflict",
        "detail": "These answers were changed elsewhere. Reload to see the latest.",
        "revision": 1,
        "answers": {"had_surgery": "no"},
    }
    assert response["ETag"] == '"1"'
    assert stored_answers(invitation.intake, "surgeries") == (1, {"had_surgery": "no"})


@pytest.mark.parametrize("if_match", ["*", "1", '"one"', '"1", "2"'])
def test_an_if_match_that_names_no_revision_is_400_naming_it(patient_client, invitation, if_match):
    response = patient_client.put(
        "/api/v1/patient/responses/surgeries/",
        {"answers": {"had_surgery": "no"}},
        format="json",
        HTTP_IF_MATCH=if_match,
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["If-Match"]
    assert stored_answers(invitation.intake, "surgeries") == (0, {})


def test_a_wrong_birth_date_has_its_own_code(invitation):
    response = invitation_client(invitation.token, born="1975-06-29").get("/api/v1/patient/intake/")
    assert response.status_code == 401
    assert response.json()["code"] == "birth_date_mismatch"


def test_while_redis_is_out_an_idempotency_key_does_not_stop_the_clinic(
    front_desk, questionnaires, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: refused at once
        }
    }
    response = create(bearer_client(front_desk), key="during-outage")
    assert response.status_code == 201
    assert Intake.objects.count() == 1
