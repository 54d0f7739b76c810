"""Kept PDFs survive a lost file and a full disk: rendered again, served, never half-written."""

from __future__ import annotations

import hashlib
import json
import resource
import signal
from contextlib import contextmanager

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from intake.models import Intake, Response
from intake.summary.service import AnswersAltered, summary_pdf

from .test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@contextmanager
def disk_full_after(size: int):
    """Let this process write files up to `size` bytes; a longer write fails (EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def files_in(settings) -> list[str]:
    return sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_a_kept_pdf_missing_from_the_folder_is_rendered_again_served_and_kept(
    submitted_intake, settings
):
    first = summary_pdf(submitted_intake)
    intake = Intake.objects.get(pk=submitted_intake.pk)
    kept_as = intake.summary_pdf.name
    default_storage.delete(kept_as)  # a server without the shared folder, or a lost folder

    again = summary_pdf(intake)
    assert pdf_text(again)[0][0] == pdf_text(first)[0][0]
    intake = Intake.objects.get(pk=submitted_intake.pk)
    assert intake.summary_pdf.name == kept_as
    with intake.summary_pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == intake.summary_pdf_sha256
    assert intake.summary_pdf_sha256 == hashlib.sha256(again).hexdigest()


def test_a_missing_pdf_is_not_rendered_from_answers_changed_since_submission(submitted_intake):
    summary_pdf(submitted_intake)
    intake = Intake.objects.get(pk=submitted_intake.pk)
    default_storage.delete(intake.summary_pdf.name)
    response = Response.objects.filter(intake=intake).first()
    # Only someone who can drop the database's triggers could change submitted answers.
    from ..integrity.test_verify import as_database_owner

    changed = json.dumps({**response.answers, "extra": "x"})
    as_database_owner(
        "UPDATE intake_response SET answers = %s WHERE id = %s", [changed, response.pk]
    )
    with pytest.raises(AnswersAltered):
        summary_pdf(intake)
    assert not default_storage.exists(intake.summary_pdf.name)


def test_a_write_that_fails_midway_leaves_no_file_behind(settings):
    with disk_full_after(1000), pytest.raises(OSError):
        default_storage.save("summaries/half.pdf", ContentFile(b"%PDF" + b"x" * 50_000))
    assert files_in(settings) == []


def test_a_full_disk_still_serves_the_pdf_to_the_clinician_and_keeps_it_later(
    client, clinician, submitted_intake, settings
):
    client.force_login(clinician)
    url = f"/clinic/intakes/{submitted_intake.pk}/summary.pdf"
    with disk_full_after(1000):
        response = client.get(url)
    assert response.status_code == 200
    assert "Casey Placeholder" in pdf_text(response.content)[0][0]
    assert files_in(settings) == []
    assert not Intake.objects.get(pk=submitted_intake.pk).summary_pdf

    assert client.get(url).status_code == 200  # space again: kept this time
    intake = Intake.objects.get(pk=submitted_intake.pk)
    assert files_in(settings) == [intake.summary_pdf.name.split("/")[-1]]
