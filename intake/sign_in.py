"""Sign-in limits beyond django-axes: caps per client address and per username, and the pause page.

django-axes pauses one username from one address after AXES_FAILURE_LIMIT wrong passwords.
That alone lets one address try a few passwords on every account (spraying), and many
addresses try many passwords on one account. Two caps bound both: failed sign-ins per address
across usernames, and per username across addresses, each counted in the cache for the
lockout window.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import ratelimit

# Set on the request once the caps let a sign-in through to the password check.
PASSWORD_CHECKED = "sign_in_password_checked"


def client_address(request: HttpRequest) -> str | None:
    """The client address for django-axes (AXES_CLIENT_IP_CALLABLE): `ratelimit.client_ip`.

    Axes stores it in an address column, so a placeholder ("unknown") becomes None.
    """
    address = ratelimit.client_ip(request)
    return address if ratelimit.is_address(address) else None


def _window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _caps(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """Return each counter (cache key, limit) that a failed sign-in adds to."""
    digest = hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()[:32]
    return [
        (f"sign-in-address:{ratelimit.client_ip(request)}", settings.SIGN_IN_FAILURES_PER_ADDRESS),
        (f"sign-in-username:{digest}", settings.SIGN_IN_FAILURES_PER_USERNAME),
    ]


def seconds_until_allowed(request: HttpRequest, username: str) -> int:
    """Return how long sign-in stays capped for this address or username (0: not capped)."""
    window = _window()
    return max(
        (
            ratelimit.seconds_left(key, window=window)
            for key, limit in _caps(request, username)
            if ratelimit.is_limited(key, limit=limit)
        ),
        default=0,
    )


class SignInCapsBackend:
    """Refuse a sign-in, before any password is checked, while a cap is reached.

    Listed after axes' backend and before the one that checks passwords. The refusal goes
    through AxesMiddleware, which shows `lockout_response` (429 with Retry-After).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        wait = seconds_until_allowed(request, str(username))
        if wait:
            request.sign_in_wait = wait
            request.axes_locked_out = True
            raise PermissionDenied("Too many failed sign-ins")
        setattr(request, PASSWORD_CHECKED, True)
        return None  # no `get_user`: this backend never signs anyone in


def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    """Count a wrong password against the address and the username.

    Tries refused while paused (by axes or a cap) are not counted: only a checked password is.
    """
    if request is None or not getattr(request, PASSWORD_CHECKED, False):
        return
    for key, _ in _caps(request, str(credentials.get("username", ""))):
        ratelimit.count_attempt(key, window=_window())


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The pause page (AXES_LOCKOUT_CALLABLE): 429, with the real seconds left in Retry-After.

    A cap's window is fixed from its first failure; axes' pause starts again with every try
    made while paused, so after this try it lasts the whole cool-off.
    """
    wait = getattr(request, "sign_in_wait", None) or _window()
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": math.ceil(wait / 60)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def connect_signals() -> None:
    """Count every checked, failed sign-in against the caps."""
    from django.contrib.auth import signals

    signals.user_login_failed.connect(_count_failure, dispatch_uid="sign-in-caps")
