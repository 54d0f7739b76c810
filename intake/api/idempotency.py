"""`Idempotency-Key` on creating an invitation: a retry creates nothing and names what was made.

The first answer holds the patient's link, and the link's token is never stored anywhere. So
the cache keeps, for 24 hours, only hashes (of the key and of the body) and the new intake's
id: a retry with the same key and body answers 409 `already_created` with that id (re-issue
the link to get a new one); the same key with another body answers 422. While Redis is out,
the key is not honoured (the invitation is created, as without a key): the clinic keeps working.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework import status
from rest_framework.exceptions import APIException

from ..outages import CACHE_ERRORS, note_cache_failure

HEADER = "HTTP_IDEMPOTENCY_KEY"
KEPT_FOR = 24 * 60 * 60
PENDING = "pending"


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with a different body: use a new key."
    default_code = "idempotency_key_reused"


class AlreadyCreated(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "already_created"

    def __init__(self, intake_id: str):
        if intake_id == PENDING:
            detail = "A request with this Idempotency-Key is still being handled: retry shortly."
        else:
            detail = (
                "An invitation was already created with this Idempotency-Key. Its link is "
                "shown only once: re-issue the link to get a new one."
            )
        super().__init__(detail)
        self.intake_id = None if intake_id == PENDING else intake_id


@dataclass(frozen=True)
class Claim:
    """A new request's hold on its key, to record what it created."""

    cache_key: str
    body_hash: str

    def record(self, intake_id: str) -> None:
        try:
            cache.set(self.cache_key, {"body": self.body_hash, "intake": intake_id}, KEPT_FOR)
        except CACHE_ERRORS as error:
            note_cache_failure(error)

    def release(self) -> None:
        try:
            cache.delete(self.cache_key)
        except CACHE_ERRORS as error:
            note_cache_failure(error)


def claim(request, body) -> Claim | None:
    """Return a claim on the request's key (None without a key); raise if it was used."""
    key = request.META.get(HEADER, "")
    if not key:
        return None
    digest = hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()
    cache_key = f"idempotency:{digest}"
    body_hash = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    try:
        if cache.add(cache_key, {"body": body_hash, "intake": PENDING}, KEPT_FOR):
            return Claim(cache_key, body_hash)
        earlier = cache.get(cache_key) or {}
    except CACHE_ERRORS as error:
        note_cache_failure(error)
        return None
    if earlier.get("body") != body_hash:
        raise KeyReused()
    raise AlreadyCreated(earlier.get("intake", PENDING))
