"""The patient's device key: a random cookie that says which browser gave which answers.

Answers are shown again only to the device that gave them (SECURITY.md, "Answers stay on the
device that gave them"). Whoever else opens the link, even with the date of birth, sees that
answers exist but not what they are. The key is random, kept only as a hash on the response,
and lives as long as the invitation, so the patient's own phone shows their answers when they
come back.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..tokens import hash_token, new_token

_KEY = re.compile(r"[A-Za-z0-9_-]{32,100}")


def valid_key(key: str | None) -> bool:
    return bool(key) and _KEY.fullmatch(key) is not None


def device_hash(key: str) -> str:
    """Return the hash stored for a device key."""
    return hash_token(key)


def attach(request) -> None:
    """Give the request its device: the browser's key, or a new one set on the response."""
    key = request.COOKIES.get(settings.PATIENT_DEVICE_COOKIE_NAME, "")
    request.patient_device_new = not valid_key(key)
    request.patient_device_key = new_token() if request.patient_device_new else key
    request.patient_device = device_hash(request.patient_device_key)


def remember(request, response, *, until: datetime | None = None) -> None:
    """Set the device cookie when it is new, or renew it until `until` (the link's expiry)."""
    if not request.patient_device_new and until is None:
        return
    max_age = int((until - timezone.now()).total_seconds()) if until else None
    if max_age is None or max_age <= 0:
        max_age = settings.INVITATION_DAYS * 86400
    response.set_cookie(
        settings.PATIENT_DEVICE_COOKIE_NAME,
        request.patient_device_key,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/",
    )
