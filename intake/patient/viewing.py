"""The audit of answers shown back to the patient: once per page per visit, not per view.

Issue 11 asks that every page showing saved answers leaves a trace in the audit trail. A trace
per visit (session) and page says who saw what, and from which device, as well as one per
reload did, without a database write on every view: a mark in the cache (Redis) remembers that
this session's device has had this page recorded. The mark only ever saves a write, never an
event: when the cache is down, or has lost or evicted the mark, or the idle time passed, the
view is recorded again.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from .. import audit, ratelimit
from ..models import Intake
from ..outages import CACHE_ERRORS, note_cache_failure


def record_viewed(request, intake: Intake, page: str) -> None:
    """Record that `page` showed this intake's saved answers, once in this visit."""
    mark = _mark(request, page)
    if mark and not _first_time(mark):
        return
    try:
        audit.record(
            audit.Action.ANSWERS_VIEWED,
            intake=intake,
            actor_label="patient",
            ip_address=ratelimit.client_ip(request),
            page=page,
            device=request.patient_device[:8],
        )
    except Exception:
        if mark:
            _forget(mark)  # not recorded: the next view tries again
        raise


def _mark(request, page: str) -> str:
    """Return the cache key of this visit's page ("" without a session key: always record)."""
    if not request.session.session_key:
        return ""
    # The session key is a secret: the cache key holds only a hash of it.
    visit = f"{request.session.session_key}:{request.patient_device}:{page}"
    return "answers-viewed:" + hashlib.sha256(visit.encode()).hexdigest()


def _first_time(mark: str) -> bool:
    try:
        return cache.add(mark, 1, timeout=settings.SESSION_COOKIE_AGE)
    except CACHE_ERRORS as error:
        note_cache_failure(error)
        return True


def _forget(mark: str) -> None:
    try:
        cache.delete(mark)
    except CACHE_ERRORS as error:
        note_cache_failure(error)
