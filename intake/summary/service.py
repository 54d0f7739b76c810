"""Get an intake's summary PDF: built once when submitted and kept; drafts are rendered fresh.

A worker renders and keeps it as soon as the intake is submitted (tasks.py); a download before
that renders and keeps it itself, the same way.

A kept PDF that is missing (a server without the shared folder, a lost folder) is rendered
again, after checking that the submitted answers still match their stored SHA-256. A PDF that
cannot be kept (a full disk) is still served; the next request tries to keep it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import replace

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse

from .. import audit, services
from ..interop.exports import intake_bundle
from ..media.models import media_pending
from ..models import Intake, Response
from ..outages import describe
from .document import intake_document, render_document_html
from .pdf import DataFile, render_pdf

log = logging.getLogger(__name__)


class AnswersAltered(Exception):
    """A submitted intake's answers no longer match the SHA-256 stored when it was submitted."""


class StoredPdfMismatch(Exception):
    """The stored PDF is not the one whose SHA-256 was recorded: it is not served."""

    def __init__(self, intake: Intake):
        self.intake = intake
        super().__init__(
            "The stored PDF of this intake does not match the SHA-256 recorded when it was "
            "stored, so it was not sent. Tell your administrator."
        )


def summary_pdf(intake: Intake) -> bytes:
    """Return the PDF; a submitted intake's is stored on first request and served from then on.

    A stored PDF is served only if it still has the SHA-256 recorded when it was stored.
    """
    submitted = intake.status == Intake.Status.SUBMITTED
    if submitted and intake.summary_pdf:
        try:
            with intake.summary_pdf.open("rb") as stored:
                pdf = stored.read()
        except FileNotFoundError:
            log.warning("A kept summary PDF is missing from private storage: rendering it again")
            check_submitted_answers(intake)
        else:
            if hashlib.sha256(pdf).hexdigest() != intake.summary_pdf_sha256:
                log.error("Stored PDF of intake %s does not match its SHA-256.", intake.pk)
                raise StoredPdfMismatch(intake)
            return pdf
    pdf = render_archive_pdf(intake)
    if submitted and not media_pending(intake.pk):
        _keep_if_possible(intake, pdf)
    return pdf


def keep_summary_pdf(intake_id: uuid.UUID) -> bool:
    """Render and keep a submitted intake's PDF unless it is kept already; return whether it was.

    What a first download does, without serving it: a PDF recorded but missing from storage is
    rendered again once the answers are checked against their SHA-256. Raises OSError when the
    PDF cannot be kept (a full disk), so that the task tries again later.
    """
    intake = Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED).first()
    if intake is None:
        return False  # removed since, or not submitted
    if media_pending(intake.pk):
        # Kept once every photo and video is processed (the media task asks again then): a PDF
        # kept now would list a file as still being processed for good.
        return False
    if intake.summary_pdf:
        if intake.summary_pdf.storage.exists(intake.summary_pdf.name):
            return False
        check_submitted_answers(intake)
    _keep(intake, render_archive_pdf(intake))
    return True


def render_archive_pdf(intake: Intake) -> bytes:
    """Render the PDF/A-3 carrying the intake's FHIR Bundle, whose SHA-256 the footer prints."""
    bundle = bundle_json(intake)
    digest = hashlib.sha256(bundle).hexdigest()
    document = replace(intake_document(intake), data_sha256=digest)
    attached = DataFile(
        name=f"intake-{intake.pk}.fhir.json",
        data=bundle,
        mime_type="application/fhir+json",
        description="The answers as a FHIR R4 Bundle (QuestionnaireResponse per questionnaire)",
        created=intake.submitted_at or intake.updated_at,
    )
    # The intake's id in hex: its 16 raw bytes may hold a carriage return, which PDF readers
    # turn into a line feed in a literal string (WeasyPrint writes the /ID as one).
    identifier = intake.pk.hex.encode()
    return render_pdf(render_document_html(document), files=(attached,), identifier=identifier)


def bundle_json(intake: Intake) -> bytes:
    """Return the intake's FHIR Bundle as the exact bytes the PDF carries."""
    return json.dumps(intake_bundle(intake), ensure_ascii=False, sort_keys=True).encode()


def check_submitted_answers(intake: Intake) -> None:
    """Refuse to render a submitted intake whose answers differ from those it was submitted with."""
    for response in Response.objects.filter(intake=intake):
        if services.answers_digest(response.answers) != response.answers_sha256:
            raise AnswersAltered(f"Response {response.pk} differs from its submitted SHA-256.")


def _keep_if_possible(intake: Intake, pdf: bytes) -> None:
    try:
        _keep(intake, pdf)
    except OSError as error:  # a full disk, a read-only folder: serve it all the same
        log.warning("Could not keep a summary PDF (%s); served it unkept", describe(error))


def pdf_download(request, intake: Intake, **detail) -> HttpResponse:
    """The summary PDF as an attachment, its download written to the audit trail."""
    pdf = summary_pdf(intake)
    audit.record_staff(
        request,
        audit.Action.PDF_DOWNLOADED,
        intake=intake,
        draft=intake.status != Intake.Status.SUBMITTED,
        **detail,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(intake)}"'
    return response


@transaction.atomic
def _keep(intake: Intake, pdf: bytes) -> None:
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.summary_pdf and locked.summary_pdf.storage.exists(locked.summary_pdf.name):
        # another request stored it first
        intake.summary_pdf, intake.summary_pdf_sha256 = (
            locked.summary_pdf,
            locked.summary_pdf_sha256,
        )
        return
    digest = hashlib.sha256(pdf).hexdigest()
    if locked.summary_pdf_sha256 and digest != locked.summary_pdf_sha256:
        # The recorded PDF is the archived one and stays recorded (the database refuses to
        # change it); a render that differs (other software, other fonts) is served unkept.
        log.warning("A re-rendered summary PDF differs from the recorded one: served unkept")
        return
    # A missing file is written again under its own name; a new one is named by the intake.
    name = locked.summary_pdf.name.removeprefix("summaries/") or f"{intake.pk}.pdf"
    locked.summary_pdf.save(name, ContentFile(pdf), save=False)
    locked.summary_pdf_sha256 = digest
    Intake.objects.filter(pk=intake.pk).update(
        summary_pdf=locked.summary_pdf.name, summary_pdf_sha256=locked.summary_pdf_sha256
    )
    intake.summary_pdf, intake.summary_pdf_sha256 = locked.summary_pdf, locked.summary_pdf_sha256


def pdf_filename(intake: Intake) -> str:
    """Return a chart-friendly file name: intake-<reference>-<date>.pdf."""
    reference = "".join(c for c in intake.clinic_reference if c.isalnum() or c in "-_")
    when = (intake.submitted_at or intake.updated_at).date().isoformat()
    draft = "" if intake.status == Intake.Status.SUBMITTED else "-draft"
    return f"intake-{reference or str(intake.pk)[:8]}-{when}{draft}.pdf"
