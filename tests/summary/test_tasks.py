"""The PDF is rendered and kept when an intake is submitted, so the first download is quick.

Without REDIS_URL (as here) the task runs in process once the submission commits; the real
worker on Redis is in tests/runtime/test_two_processes.py.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from datetime import date

import pytest
from celery.exceptions import Retry
from django.core.files.storage import default_storage

from intake import celery_app, services
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, Intake
from intake.retention import remove_intakes
from intake.summary import service
from intake.summary.tasks import render_summary_pdf

from .test_storage import disk_full_after

pytestmark = pytest.mark.django_db


def answered_intake() -> Intake:
    """An intake with one questionnaire answered: what the task does does not depend on how
    much was answered, and a one-page PDF renders in a fraction of the demo's time."""
    invitation = services.create_invitation(
        patient_name="Casey Placeholder",
        date_of_birth=date(1966, 2, 27),
        clinic_reference="C-7",
        questionnaire_slugs=["surgeries"],
    )
    response = invitation.intake.responses.select_related("intake", "questionnaire_version").get()
    services.save_answers(response=response, answers=DEMO_ANSWERS["surgeries"], revision=0)
    return invitation.intake


def submit(intake: Intake, capture) -> Intake:
    """Submit as a request does: what is queued runs once the submission commits."""
    with capture(execute=True):
        services.submit_intake(intake=intake)
    return Intake.objects.get(pk=intake.pk)


def stored_bytes(intake: Intake) -> bytes:
    with intake.summary_pdf.open("rb") as stored:
        return stored.read()


def actions(intake: Intake) -> list[str]:
    events = AuditEvent.objects.filter(intake_id=intake.pk).order_by("id")
    return list(events.values_list("action", flat=True))


@pytest.fixture
def renders(monkeypatch) -> list:
    """Count the renders from here on."""
    done = []
    real = service.render_archive_pdf

    def counted(intake):
        done.append(intake.pk)
        return real(intake)

    monkeypatch.setattr(service, "render_archive_pdf", counted)
    return done


def test_the_first_download_after_submission_is_served_from_storage(
    questionnaires, clinician, client, django_capture_on_commit_callbacks, renders
):
    assert celery_app.conf.task_always_eager  # no REDIS_URL: in process, after the commit
    intake = submit(answered_intake(), django_capture_on_commit_callbacks)
    assert renders == [intake.pk]
    assert intake.summary_pdf.name == f"summaries/{intake.pk}.pdf"
    kept = stored_bytes(intake)
    assert hashlib.sha256(kept).hexdigest() == intake.summary_pdf_sha256
    assert oct(os.stat(intake.summary_pdf.path).st_mode & 0o777) == "0o600"

    client.force_login(clinician)
    download = client.get(f"/clinic/intakes/{intake.pk}/summary.pdf")
    assert download.status_code == 200
    assert download.content == kept
    assert renders == [intake.pk]  # the download rendered nothing
    # The task wrote no audit event of its own: the submission, then the download.
    assert actions(intake)[-2:] == ["intake_submitted", "pdf_downloaded"]


def test_the_task_run_again_changes_nothing(
    questionnaires, django_capture_on_commit_callbacks, renders
):
    intake = submit(answered_intake(), django_capture_on_commit_callbacks)
    before = (stored_bytes(intake), intake.summary_pdf_sha256, actions(intake))

    assert render_summary_pdf.delay(str(intake.pk)).get() is False  # a redelivered task
    again = Intake.objects.get(pk=intake.pk)
    assert (stored_bytes(again), again.summary_pdf_sha256, actions(again)) == before
    assert renders == [intake.pk]


def test_submitting_again_queues_nothing(questionnaires, django_capture_on_commit_callbacks):
    intake = submit(answered_intake(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as queued:
        services.submit_intake(intake=intake)
    assert queued == []


def test_a_pdf_kept_by_an_earlier_download_is_not_rendered_again(submitted_intake, renders):
    # Submitted inside the test's transaction, so nothing ran: a download came first.
    assert not Intake.objects.get(pk=submitted_intake.pk).summary_pdf
    downloaded = service.summary_pdf(submitted_intake)
    assert render_summary_pdf.delay(str(submitted_intake.pk)).get() is False
    assert renders == [submitted_intake.pk]
    assert stored_bytes(Intake.objects.get(pk=submitted_intake.pk)) == downloaded


def test_a_kept_pdf_lost_from_storage_is_rendered_again_under_its_recorded_hash(
    questionnaires, django_capture_on_commit_callbacks
):
    intake = submit(answered_intake(), django_capture_on_commit_callbacks)
    recorded = intake.summary_pdf_sha256
    default_storage.delete(intake.summary_pdf.name)

    assert render_summary_pdf.delay(str(intake.pk)).get() is True
    again = Intake.objects.get(pk=intake.pk)
    assert again.summary_pdf_sha256 == recorded
    assert hashlib.sha256(stored_bytes(again)).hexdigest() == recorded


def test_a_removed_or_unsubmitted_intake_gets_no_pdf(questionnaires, settings):
    draft = answered_intake()
    assert render_summary_pdf.delay(str(draft.pk)).get() is False
    remove_intakes(Intake.objects.filter(pk=draft.pk), removed_by="test")
    assert render_summary_pdf.delay(str(draft.pk)).get() is False
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_a_full_disk_makes_the_task_try_again(submitted_intake, settings, renders):
    with disk_full_after(10_000), pytest.raises(Retry) as retry:
        render_summary_pdf.apply(args=[str(submitted_intake.pk)])
    # A worker tries again some seconds later (in process, the first download keeps it).
    assert isinstance(retry.value.exc, OSError)
    assert 0 <= retry.value.when <= 5
    assert not Intake.objects.get(pk=submitted_intake.pk).summary_pdf
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
    # The disk has room again: the next try keeps it.
    assert render_summary_pdf.apply(args=[str(submitted_intake.pk)]).get() is True


def test_a_render_failing_at_submission_loses_nothing_and_logs_no_answer(
    questionnaires, django_capture_on_commit_callbacks, monkeypatch, caplog, client, clinician
):
    def broken(intake):
        raise ValueError("Casey Placeholder's answer: twitching in the left calf")

    monkeypatch.setattr(service, "render_archive_pdf", broken)
    with caplog.at_level(logging.WARNING, logger="intake.summary.tasks"):
        intake = submit(answered_intake(), django_capture_on_commit_callbacks)
    assert intake.status == Intake.Status.SUBMITTED
    assert "Summary PDF not prepared at submission (builtins.ValueError)" in caplog.text
    assert "calf" not in caplog.text and "Casey" not in caplog.text
    monkeypatch.undo()
    client.force_login(clinician)
    download = client.get(f"/clinic/intakes/{intake.pk}/summary.pdf")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")


def test_an_unreachable_queue_costs_the_submission_nothing(
    questionnaires, django_capture_on_commit_callbacks, caplog, client, clinician
):
    from tests.runtime.gunicorn_process import free_port

    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    # A Redis nobody listens on; the connections made so far are dropped, as after a fork.
    celery_app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{free_port()}")
    celery_app._after_fork()
    try:
        with caplog.at_level(logging.WARNING, logger="intake.summary.tasks"):
            started = time.monotonic()
            intake = submit(answered_intake(), django_capture_on_commit_callbacks)
            took = time.monotonic() - started
    finally:
        celery_app.conf.update(saved)
        celery_app._after_fork()
    assert took < 3
    assert intake.status == Intake.Status.SUBMITTED
    assert "Summary PDF not prepared at submission (kombu.exceptions.OperationalError" in (
        caplog.text
    )
    client.force_login(clinician)
    assert client.get(f"/clinic/intakes/{intake.pk}/summary.pdf").content.startswith(b"%PDF")
