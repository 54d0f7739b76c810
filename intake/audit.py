"""Write audit events: who did what to which intake. Never answers, passwords or tokens."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.utils import timezone

from . import ratelimit
from .integrity import chain
from .models import AuditEvent

Action = AuditEvent.Action


def record(
    action: str,
    *,
    intake=None,
    user=None,
    actor_label: str = "",
    ip_address: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event to its intake's chain; `detail` holds ids and counts only."""
    is_user = user is not None and getattr(user, "is_authenticated", False)
    event = AuditEvent(
        created_at=timezone.now(),
        action=action,
        actor=user if is_user else None,
        actor_label=user.get_username() if is_user else actor_label,
        intake_id=chain.chain_key(getattr(intake, "pk", intake)),
        ip_address=_valid_ip(ip_address),
        detail=detail,
    )
    chain.append(event)
    return event


def record_staff(request, action: str, *, intake=None, **detail: Any) -> AuditEvent:
    """Append one event for the signed-in staff member making `request`, from its address."""
    return record(
        action,
        intake=intake,
        user=request.user,
        ip_address=ratelimit.client_ip(request),
        **detail,
    )


def _valid_ip(address: str | None) -> str | None:
    """Keep a real address; drop an empty or placeholder one (a UNIX-socket server sends "")."""
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _sign_in(sender, request, user, **kwargs):
    record(Action.SIGNED_IN, user=user, ip_address=_ip(request))


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept; the password never is.
    record(
        Action.SIGN_IN_FAILED,
        actor_label=str(credentials.get("username", ""))[:150],
        ip_address=_ip(request),
    )


def _sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.SIGNED_OUT, user=user, ip_address=_ip(request))


def _ip(request) -> str | None:
    return ratelimit.client_ip(request) if request is not None else None


def connect_signals() -> None:
    """Record every sign-in, failed sign-in and sign-out."""
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_sign_in, dispatch_uid="audit-sign-in")
    signals.user_login_failed.connect(_sign_in_failed, dispatch_uid="audit-sign-in-failed")
    signals.user_logged_out.connect(_sign_out, dispatch_uid="audit-sign-out")
