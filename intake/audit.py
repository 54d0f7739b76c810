"""Write audit events: who did what to which intake. Never answers, passwords or tokens."""

from __future__ import annotations

from typing import Any

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
    """Append one audit event; `detail` holds ids and counts only."""
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        action=action,
        actor=user if is_user else None,
        actor_label=user.get_username() if is_user else actor_label,
        intake_id=getattr(intake, "pk", intake),
        ip_address=ip_address,
        detail=detail,
    )
