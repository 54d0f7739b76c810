"""Appending to the audit chain: no lock, yet one line per chain, kept by the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import audit
from intake.integrity import chain
from intake.integrity.verify import verify_all
from intake.models import AuditEvent

pytestmark = pytest.mark.django_db


def _second_follower(first: AuditEvent) -> AuditEvent:
    """An event that claims to follow `first`, as a worker with a stale head would write it."""
    event = AuditEvent(
        created_at=timezone.now(),
        action=AuditEvent.Action.SUMMARY_VIEWED,
        actor_label="someone",
        intake_id=first.intake_id,
        previous_hash=first.event_hash,
    )
    event.event_hash = event.computed_hash()
    return event


@pytest.mark.parametrize("with_intake", [True, False], ids=["intake chain", "no-intake chain"])
def test_the_database_refuses_a_second_event_following_the_same_one(invitation, with_intake):
    intake = invitation.intake if with_intake else None
    first = audit.record(audit.Action.SUMMARY_VIEWED, intake=intake, actor_label="a")
    audit.record(audit.Action.SUMMARY_VIEWED, intake=intake, actor_label="b")  # follows first

    with pytest.raises(IntegrityError), transaction.atomic():
        _second_follower(first).save()

    assert verify_all().mismatches == []


def test_an_event_that_read_a_head_since_followed_is_linked_to_the_newest(invitation, monkeypatch):
    intake = invitation.intake
    stale = audit.record(audit.Action.SUMMARY_VIEWED, intake=intake, actor_label="a")
    newer = audit.record(audit.Action.SUMMARY_VIEWED, intake=intake, actor_label="b")
    reads = []
    real_head = chain._head

    def head_read_before_b_committed(event):
        reads.append(event.action)
        return stale.event_hash if len(reads) == 1 else real_head(event)

    monkeypatch.setattr(chain, "_head", head_read_before_b_committed)
    event = audit.record(audit.Action.PDF_DOWNLOADED, intake=intake, actor_label="c")

    assert len(reads) == 2  # the first insert did nothing; the second try read the new head
    assert event.previous_hash == newer.event_hash
    assert AuditEvent.objects.get(pk=event.pk).event_hash == event.event_hash
    followers = AuditEvent.objects.filter(intake_id=intake.pk, previous_hash=stale.event_hash)
    assert followers.count() == 1
    assert verify_all().mismatches == []
