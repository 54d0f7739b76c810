"""The database itself refuses changes to audit events and submitted answers, by any path."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from intake import services
from intake.models import AuditEvent, Intake, Response
from intake.retention import remove_intakes


def refused(change) -> None:
    """Assert the database refuses `change` (inside a savepoint, so the test goes on)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        change()


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def stored(model, pk) -> dict:
    return model._base_manager.filter(pk=pk).values().get()


def test_the_database_refuses_every_change_and_deletion_of_an_audit_event(submitted_intake):
    event = AuditEvent.objects.filter(intake_id=submitted_intake.pk).order_by("id").first()
    before = stored(AuditEvent, event.pk)
    plain = AuditEvent._base_manager  # no append-only queryset in the way
    event.detail = {"changed": True}

    refused(lambda: plain.filter(pk=event.pk).update(actor_label="someone else"))
    refused(lambda: plain.filter(pk=event.pk).delete())
    refused(lambda: plain.bulk_update([event], ["detail"]))
    refused(lambda: raw("UPDATE intake_auditevent SET action = %s WHERE id = %s", ["x", event.pk]))
    refused(lambda: raw("DELETE FROM intake_auditevent WHERE id = %s", [event.pk]))

    assert stored(AuditEvent, event.pk) == before


def test_the_database_refuses_every_change_and_deletion_of_a_submitted_response(
    submitted_intake,
):
    response = Response.objects.filter(intake=submitted_intake).order_by("position").first()
    before = stored(Response, response.pk)
    response.answers = {"not_an_item": "<script>"}

    refused(lambda: Response.objects.filter(pk=response.pk).update(answers={"areas": ["foot"]}))
    refused(lambda: Response.objects.filter(pk=response.pk).update(submitted_at=None))
    refused(lambda: Response.objects.bulk_update([response], ["answers"]))
    refused(lambda: Response._base_manager.filter(pk=response.pk).update(revision=99))
    refused(lambda: Response.objects.get(pk=response.pk).delete())
    refused(lambda: Response._base_manager.filter(pk=response.pk).delete())
    refused(lambda: Intake.objects.get(pk=submitted_intake.pk).delete())
    refused(
        lambda: raw(
            "UPDATE intake_response SET answers = %s WHERE id = %s", ['{"x": 1}', response.pk]
        )
    )
    refused(lambda: raw("DELETE FROM intake_response WHERE id = %s", [response.pk]))

    assert stored(Response, response.pk) == before
    assert Intake.objects.filter(pk=submitted_intake.pk).exists()


def test_a_submitted_intake_keeps_its_status_and_its_recorded_pdf(submitted_intake):
    Intake.objects.filter(pk=submitted_intake.pk).update(
        summary_pdf="summaries/x.pdf", summary_pdf_sha256="a" * 64
    )  # recorded once, as the summary service does

    refused(lambda: Intake.objects.filter(pk=submitted_intake.pk).update(status="in_progress"))
    refused(lambda: Intake.objects.filter(pk=submitted_intake.pk).update(submitted_at=None))
    refused(
        lambda: Intake.objects.filter(pk=submitted_intake.pk).update(summary_pdf_sha256="b" * 64)
    )
    refused(lambda: Intake.objects.filter(pk=submitted_intake.pk).update(summary_pdf="other.pdf"))

    intake = Intake.objects.get(pk=submitted_intake.pk)
    assert (intake.status, intake.summary_pdf_sha256) == ("submitted", "a" * 64)


def test_draft_answers_still_save_and_an_intake_still_submits(invitation):
    response = invitation.intake.responses.select_related("intake", "questionnaire_version")[0]
    services.save_answers(response=response, answers={"areas": ["foot_left"]}, revision=0)
    assert Response.objects.get(pk=response.pk).answers["areas"] == ["foot_left"]


def test_a_draft_is_removed_only_once_its_removal_is_in_the_audit_trail(invitation):
    intake = invitation.intake

    refused(lambda: Response.objects.filter(intake=intake).delete())
    refused(lambda: Intake.objects.filter(pk=intake.pk).delete())
    assert Response.objects.filter(intake=intake).count() == 5

    assert remove_intakes(Intake.objects.filter(pk=intake.pk), removed_by="test") == 1
    assert not Intake.objects.filter(pk=intake.pk).exists()
    assert not Response.objects.filter(intake_id=intake.pk).exists()
    removal = AuditEvent.objects.get(intake_id=intake.pk, action="intake_purged")
    assert removal.actor_label == "test"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_protected_tables_between_transactional_tests(submitted_intake):
    assert AuditEvent.objects.exists()
    call_command("flush", "--no-input", stdout=io.StringIO())
    assert not AuditEvent.objects.exists()
    assert not Response.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_the_triggers_and_chains_existing_events(
    submitted_intake,
):
    events = AuditEvent.objects.count()
    call_command("migrate", "intake", "0004", verbosity=0)  # before the chain and the triggers
    call_command("migrate", "intake", verbosity=0)  # rebuilds tables on SQLite, chains events

    from intake.integrity import triggers
    from intake.integrity.verify import verify_all

    assert triggers.missing(connection) == []
    report = verify_all()
    assert (report.mismatches, report.events) == ([], events)
    response = Response.objects.filter(intake=submitted_intake).first()
    refused(lambda: Response.objects.filter(pk=response.pk).update(answers={}))
