"""Count attempts in Django's cache (Redis in production), so limits hold across processes.

Also the one place that decides a request's client address: rate limits, django-axes and the
audit trail all call `client_ip`.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache

from .outages import CACHE_ERRORS, note_cache_failure

# Wrong dates of birth allowed per invitation, and the window they are counted in (seconds).
BIRTH_DATE_TRIES = 5
BIRTH_DATE_WINDOW = 15 * 60
# Unknown invitation tokens allowed per client address (a guessing guard).
UNKNOWN_LINKS_PER_IP = 20
UNKNOWN_LINK_WINDOW = 10 * 60
# Patient's copies rendered per intake and window: each is a full PDF render.
PATIENT_COPIES = 10
PATIENT_COPY_WINDOW = 60 * 60
# The limits that let requests through while Redis is unavailable; every other limit refuses
# them (503) until it is back. Why each: SECURITY.md, "Rate limits while Redis is down".
FAILS_OPEN = frozenset({"unknown-link", "patient-api", "sign-in-address", "sign-in-username"})


def attempts(key: str) -> int:
    """Return how many attempts are counted under `key` in its current window."""
    try:
        return cache.get(f"ratelimit:{key}", 0)
    except CACHE_ERRORS as error:
        return _without_cache(key, error, 0)


def count_attempt(key: str, *, window: int) -> int:
    """Count one attempt; the window starts at the first attempt. Return the new count."""
    full_key = f"ratelimit:{key}"
    try:
        # The window's end is kept beside the count, so that a refusal can say how long is left.
        cache.add(f"ratelimit-ends:{key}", time.time() + window, timeout=window)
        cache.add(full_key, 0, timeout=window)
        try:
            return cache.incr(full_key)
        except ValueError:  # expired between add and incr
            cache.add(full_key, 1, timeout=window)
            return 1
    except CACHE_ERRORS as error:
        return _without_cache(key, error, 0)


def is_limited(key: str, *, limit: int) -> bool:
    return attempts(key) >= limit


def seconds_left(key: str, *, window: int) -> int:
    """Return the whole seconds until the window counted under `key` ends (at least 1)."""
    try:
        ends = cache.get(f"ratelimit-ends:{key}")
    except CACHE_ERRORS as error:
        ends = _without_cache(key, error, None)
    if ends is None:
        return window
    return max(1, min(window, math.ceil(ends - time.time())))


def reset(key: str) -> None:
    try:
        cache.delete_many([f"ratelimit:{key}", f"ratelimit-ends:{key}"])
    except CACHE_ERRORS as error:
        _without_cache(key, error, None)


def _without_cache(key: str, error: Exception, allowed):
    """Let the request through for a limit that fails open; re-raise (a 503) for the others."""
    if key.split(":", 1)[0] not in FAILS_OPEN:
        raise error
    note_cache_failure(error)
    return allowed


def client_ip(request) -> str:
    """Return the client's address; behind PROXY_COUNT proxies, from X-Forwarded-For.

    Each proxy appends the address it received the request from, so the client's is the
    PROXY_COUNT-th from the right; anything further left was written by the client and is
    ignored. A request that did not come through the proxies (no usable X-Forwarded-For) is
    known by the address that connected.
    """
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and is_address(hops[-proxies]):
            return str(ipaddress.ip_address(hops[-proxies]))
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_address(text: str | None) -> bool:
    """Whether `text` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(text or "")
    except ValueError:
        return False
    return True
