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
EVENTS_EACH = 3  # back to back, so that workers often read a head another has just followed


def test_events_appended_at_once_form_one_unbroken_chain_per_intake(invitation, clinician):
    intake = invitation.intake
    start = threading.Barrier(WORKERS)

    def append(number: int) -> None:
        try:
            start.wait(timeout=30)
            for _ in range(EVENTS_EACH):
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
    failed_sign_ins = AuditEvent.objects.filter(action=audit.Action.SIGN_IN_FAILED)
    assert failed_sign_ins.count() == EVENTS_EACH * WORKERS // 2
    assert AuditEvent.objects.filter(intake_id=intake.pk).count() == 1 + EVENTS_EACH * WORKERS // 2
    followed = [h for h in AuditEvent.objects.values_list("previous_hash", flat=True) if h]
    assert len(set(followed)) == len(followed)  # no two events follow the same one
