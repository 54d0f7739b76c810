"""`make bench`, integrity part: `verify_integrity` at 100,000 intakes against a plain read."""

from __future__ import annotations

import io
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from intake import catalog
from intake.demo import DEMO_ANSWERS
from intake.integrity.chain import event_hash
from intake.models import AuditEvent, Intake, Response
from intake.services import answers_digest

BATCH = 5000


def integrity_figures(runs: int = 2) -> list[dict]:
    """Time the whole re-check next to reading every submitted answer, in turn, best of `runs`."""
    submit_fillers()
    submitted = Response.objects.filter(submitted_at__isnull=False)
    responses, events, intakes = (
        submitted.count(),
        AuditEvent.objects.count(),
        Intake.objects.count(),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")

    def plain_read():
        for _ in submitted.values_list("answers", flat=True).iterator(chunk_size=2000):
            pass

    def verify():
        call_command("verify_integrity", stdout=io.StringIO())

    verify_times, read_times = [], []
    for _ in range(runs):
        for function, times in ((verify, verify_times), (plain_read, read_times)):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    best, baseline = min(verify_times), min(read_times)
    return [
        {
            "figure": f"verify_integrity at {intakes:,} intakes ({responses:,} submitted "
            f"responses, {events:,} audit events), best of {runs}",
            "value": round(best, 2),
            "unit": "s",
            "baseline": round(baseline, 2),
            "baseline_label": "SELECT of every submitted response's answers",
            "ratio": round(best / baseline, 2),
        }
    ]


def submit_fillers() -> None:
    """Give each filler intake without answers a submitted response and its two audit events.

    One response (the demo medicines, about 1 KB of JSON) per intake keeps the load quick; the
    ratio to the plain read does not depend on the count.
    """
    version = catalog.current_versions(["medications"])[0]
    answers = DEMO_ANSWERS["medications"]
    digest = answers_digest(answers)
    now = timezone.now()
    bare = Intake.objects.filter(responses__isnull=True).values_list("pk", flat=True)
    ids = list(bare)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        Response.objects.bulk_create(
            Response(
                intake_id=intake_id,
                questionnaire_version=version,
                position=0,
                answers=answers,
                submitted_at=now,
                answers_sha256=digest,
            )
            for intake_id in batch
        )
        AuditEvent.objects.bulk_create(
            event for intake_id in batch for event in _chained_events(intake_id, now)
        )


def _chained_events(intake_id, now) -> list[AuditEvent]:
    events, previous = [], ""
    for offset, action in enumerate([AuditEvent.Action.INVITATION_CREATED, "intake_submitted"]):
        event = AuditEvent(
            created_at=now + timedelta(seconds=offset),
            action=action,
            actor_label="bench",
            intake_id=intake_id,
            previous_hash=previous,
        )
        event.event_hash = previous = event_hash(
            previous_hash=previous,
            created_at=event.created_at,
            action=action,
            actor_id=None,
            actor_label="bench",
            intake_id=intake_id,
            ip_address=None,
            detail={},
        )
        events.append(event)
    return events
