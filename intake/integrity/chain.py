"""The audit hash chain: each event carries the hash of the one before it in its chain.

There is one chain per intake, and one for events without an intake (sign-ins, loads). An
event's hash covers its content and the previous event's hash, so changing, removing or
reordering an event breaks every link after it.

Appending takes two statements and no lock: read the chain's head, then insert the event
linked to it unless another event already follows that head. Unique indexes on
(chain, previous_hash) let only one event follow any other, so a chain cannot fork. When two
workers read the same head, the second insert waits for the first to commit or roll back
(`ON CONFLICT DO NOTHING`), inserts nothing if it committed, and that worker reads the new head
and tries again. Events of one intake wait for each other; different intakes do not.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from ..models import AuditEvent

FORMAT = 1  # bump, never edit, if the hashed content ever changes
# Each try loses only to an event appended meanwhile; this many in a row means something is
# wrong (a constraint other than the chain's refusing the row), not a busy chain.
_ATTEMPTS = 50


class ChainBusy(RuntimeError):
    """An event could not be linked to its chain after many tries."""


def chain_key(intake_id: Any) -> uuid.UUID | None:
    """Return the chain an event belongs to: its intake's id, or None."""
    if intake_id is None or isinstance(intake_id, uuid.UUID):
        return intake_id
    return uuid.UUID(str(intake_id))


def append(event: AuditEvent) -> None:
    """Link `event` to the head of its chain and insert it; set its hashes and id."""
    for _ in range(_ATTEMPTS):
        event.previous_hash = _head(event)
        event.event_hash = event.computed_hash()
        pk = _insert_unless_followed(event)
        if pk is not None:
            event.pk = pk
            event._state.adding = False
            event._state.db = connection.alias
            return
    raise ChainBusy(f"audit event {event.action} not appended after {_ATTEMPTS} tries")


def _head(event: AuditEvent) -> str:
    """Return the hash of the last event in the event's chain, or "" for a chain's first."""
    events = type(event).objects
    if event.intake_id is None:
        events = events.filter(intake_id__isnull=True)
    else:
        events = events.filter(intake_id=event.intake_id)
    return events.order_by("-id").values_list("event_hash", flat=True).first() or ""


def _insert_unless_followed(event: AuditEvent) -> int | None:
    """Insert the event; None, inserting nothing, when another event follows its previous one."""
    fields = [field for field in event._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING RETURNING {pk}"
    sql = sql.format(
        table=quote(event._meta.db_table),
        columns=", ".join(quote(field.column) for field in fields),
        values=", ".join(["%s"] * len(fields)),
        pk=quote(event._meta.pk.column),
    )
    params = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


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
