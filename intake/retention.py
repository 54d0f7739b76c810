"""Removing intakes: the one path the database lets delete an intake and its answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from . import audit
from .media import services as media_services
from .models import Intake

_BATCH = 500


@transaction.atomic
def remove_intakes(intakes: QuerySet[Intake], *, removed_by: str, **detail: Any) -> int:
    """Record each intake's removal in the audit trail, then delete it with its responses and media.

    The database refuses to delete an intake or a response whose intake has no `intake_purged`
    event (intake.integrity.triggers), so the record always comes first. The intake rows are
    locked first, in id order, then their audit chains: the order the services lock in, so a
    removal and a cancel or re-issue of the same intake wait for each other, never deadlock.
    """
    ids = list(intakes.select_for_update().order_by("pk").values_list("pk", flat=True))
    # Patients' photos and videos go with their intake, once the removal is committed.
    files = media_services.files_of_intakes(ids)
    transaction.on_commit(lambda: media_services.delete_files(files))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        for intake_id in batch:
            audit.record(
                audit.Action.INTAKE_PURGED, intake=intake_id, actor_label=removed_by, **detail
            )
        Intake.objects.filter(pk__in=batch).delete()
    return len(ids)
