"""The patient's own copy of what they answered: a PDF for the device that sent the answers."""

from __future__ import annotations

from django.utils import timezone

from .. import audit
from ..models import Intake
from .document import intake_document, render_document_html
from .pdf import render_pdf

FILENAME = "my-answers-{date}.pdf"


class NotTheSendingDevice(Exception):
    """Another device holds some of these answers: this one did not send them."""


def sent_from(intake: Intake, device: str) -> bool:
    """Return whether this device sent the intake: it is submitted and the device holds it all."""
    if intake.status != Intake.Status.SUBMITTED:
        return False
    return not any(response.is_sealed_for(device) for response in intake.responses.all())


def patient_copy_pdf(*, intake: Intake, device: str, ip_address: str | None = None) -> bytes:
    """Return the PDF of a submitted intake's answers for the device that sent them."""
    if not sent_from(intake, device):
        raise NotTheSendingDevice
    document = intake_document(intake, language=intake.language)
    pdf = render_pdf(render_document_html(document, patient_copy=True))
    audit.record(
        audit.Action.PATIENT_COPY_DOWNLOADED,
        intake=intake,
        actor_label="patient",
        ip_address=ip_address,
        device=device[:8],
    )
    return pdf


def patient_copy_filename(intake: Intake) -> str:
    """Return a plain name: my-answers-2026-12-02.pdf, the day the answers were sent."""
    return FILENAME.format(date=timezone.localdate(intake.submitted_at).isoformat())
