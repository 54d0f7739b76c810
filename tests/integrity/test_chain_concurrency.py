"""Many workers appending audit events at once keep every chain a single line (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from intake import audit
from intake.integrity.verify import verify_all
from intake.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
    ),
]

WORKERS = 16


def test_events_appended_at_once_form_one_unbroken_chain_per_intake(invitation, clinician):
    intake = invitation.intake
    start = threading.Barrier(WORKERS)

    def append(number: int) -> None:
        try:
            start.wait(timeout=30)
            if number % 2:
                audit.record(audit.Action.SUMMARY_VIEWED, intake=intake, user=clinician)
            else:
                audit.record(audit.Action.SIGN_IN_FAILED, actor_label=f"guess{number}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(append, range(WORKERS)))

    report = verify_all()
    assert report.mismatches == []
    assert AuditEvent.objects.filter(intake_id=intake.pk).count() == 1 + WORKERS // 2
    followed = [h for h in AuditEvent.objects.values_list("previous_hash", flat=True) if h]
    assert len(set(followed)) == len(followed)  # no two events follow the same one
