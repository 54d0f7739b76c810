"""A dependency outage (database, Redis) answers 503 with Retry-After, logged once and counted.

Django turns an exception that escapes a view or a middleware into its 500 handler; this module
is that handler. An outage error gets a 503 (JSON under /api/, the plain page elsewhere) and no
traceback: the first failure of an outage is logged with the exception's class and the driver's
error code (neither holds health data), the rest are counted and the count logged once a
minute and when the outage is over. Any other error keeps Django's 500 page and its traceback.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

log = logging.getLogger("intake.outages")

RETRY_AFTER_SECONDS = 5
CACHE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
OUTAGE_ERRORS = (OperationalError, InterfaceError, *CACHE_ERRORS)
# Failures further apart than this are separate outages, each logged anew.
QUIET_SECONDS = 30
SUMMARY_SECONDS = 60


class OutageLog:
    """Log the first failure of an outage, then count; report the count now and then."""

    def __init__(self, dependency: str):
        self.dependency = dependency
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.started = self.last_failure = self.last_summary = 0.0

    def failure(self, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            if self.count and now - self.last_failure > QUIET_SECONDS:
                self._summarise(now, ended=True)
            self.last_failure = now
            self.count += 1
            if self.count == 1:
                self.started = self.last_summary = now
                log.warning(
                    "%s unavailable: %s; further failures are counted, not logged",
                    self.dependency,
                    describe(error),
                )
            elif now - self.last_summary > SUMMARY_SECONDS:
                self._summarise(now, ended=False)

    def _summarise(self, now: float, *, ended: bool) -> None:
        state = "was unavailable" if ended else "still unavailable"
        log.warning(
            "%s %s: %d failures over %.0f s",
            self.dependency,
            state,
            self.count,
            self.last_failure - self.started,
        )
        self.last_summary = now
        if ended:
            self.count = 0


DATABASE = OutageLog("database")
CACHE = OutageLog("redis")


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def note_failure(error: BaseException) -> None:
    (CACHE if isinstance(error, CACHE_ERRORS) else DATABASE).failure(error)


def note_cache_failure(error: BaseException) -> None:
    """Count a Redis failure the caller worked around (sessions, limits that fail open)."""
    CACHE.failure(error)


def describe(error: BaseException) -> str:
    """Name an error by its class and driver codes, never its message (it may quote data)."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = type(error)
        name = f"{kind.__module__}.{kind.__qualname__}"
        codes = [
            f"{attribute} {value}"
            for attribute in ("sqlstate", "errno")
            if (value := getattr(error, attribute, None)) is not None
        ]
        parts.append(f"{name} ({', '.join(codes)})" if codes else name)
        error = error.__cause__ or error.__context__
    return " from ".join(parts)


def unavailable_response(request) -> HttpResponse:
    """The outage answer: 503 with Retry-After, JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "service_unavailable",
                "detail": "The service is briefly unavailable. Try again in a few seconds.",
            },
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Cache-Control"] = "no-store"
    return as_outage(response)


def as_outage(response: HttpResponse) -> HttpResponse:
    """Mark a 503: Retry-After, and no "Service Unavailable" log line per request."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # the outage log has counted it
    return response


def server_error(request) -> HttpResponse:
    """Django's 500 handler: 503 for an outage, logged here once; Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if not is_outage(error):
        return defaults.server_error(request)
    note_failure(error)
    return unavailable_response(request)  # marked logged: Django would log a traceback
