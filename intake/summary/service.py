"""Get an intake's summary PDF: built once when submitted and kept; drafts are rendered fresh."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse

from .. import audit
from ..models import Intake
from .document import intake_document, render_document_html
from .pdf import render_pdf

logger = logging.getLogger(__name__)


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
    if intake.status == Intake.Status.SUBMITTED and intake.summary_pdf:
        try:
            with intake.summary_pdf.open("rb") as stored:
                pdf = stored.read()
        except OSError:
            pdf = b""
        if hashlib.sha256(pdf).hexdigest() != intake.summary_pdf_sha256:
            logger.error("Stored PDF of intake %s does not match its SHA-256.", intake.pk)
            raise StoredPdfMismatch(intake)
        return pdf
    pdf = render_pdf(render_document_html(intake_document(intake)))
    if intake.status == Intake.Status.SUBMITTED:
        _keep(intake, pdf)
    return pdf


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
    if locked.summary_pdf:  # another request stored it first
        intake.summary_pdf, intake.summary_pdf_sha256 = (
            locked.summary_pdf,
            locked.summary_pdf_sha256,
        )
        return
    locked.summary_pdf.save(f"{intake.pk}.pdf", ContentFile(pdf), save=False)
    locked.summary_pdf_sha256 = hashlib.sha256(pdf).hexdigest()
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
