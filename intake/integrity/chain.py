"""The audit hash chain: each event carries the hash of the one before it in its chain.

There is one chain per intake, and one for events without an intake (sign-ins, loads). An
event's hash covers its content and the previous event's hash, so changing, removing or
reordering an event breaks every link after it. Appending takes a lock on the chain first (a
transaction-scoped advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions already let one
writer in at a time), so two workers never read the same head: events of one intake wait for
each other, different intakes do not.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import connection

FORMAT = 1  # bump, never edit, if the hashed content ever changes
_LOCK_CLASS = 0x1A7E  # advisory lock namespace of the audit chains
_NO_INTAKE = 0


def chain_key(intake_id: Any) -> uuid.UUID | None:
    """Return the chain an event belongs to: its intake's id, or None."""
    if intake_id is None or isinstance(intake_id, uuid.UUID):
        return intake_id
    return uuid.UUID(str(intake_id))


def lock(intake_id: uuid.UUID | None) -> None:
    """Wait for, and hold until the transaction ends, the right to append to this chain."""
    if connection.vendor != "postgresql":
        return
    key = _NO_INTAKE if intake_id is None else int.from_bytes(intake_id.bytes[:4], signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, key])


def event_hash(
    *,
    previous_hash: str,
    created_at: datetime,
    action: str,
    actor_id: int | None,
    actor_label: str,
    intake_id: uuid.UUID | None,
    ip_address: str | None,
    detail: dict,
) -> str:
    """Return the SHA-256 of an event's content and the hash of the event before it."""
    content = [
        FORMAT,
        previous_hash,
        created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        action,
        actor_id,
        actor_label,
        str(intake_id) if intake_id is not None else None,
        str(ipaddress.ip_address(ip_address)) if ip_address else None,
        detail,
    ]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
