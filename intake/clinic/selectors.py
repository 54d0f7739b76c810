"""Reads for the clinic pages: the dashboard list and an intake's history."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import AuditEvent, Intake

STATUS_FILTERS = ["invited", "in_progress", "submitted", "expired", "cancelled"]


def list_intakes(*, search: str = "", status: str = "") -> QuerySet[Intake]:
    """Return intakes newest first, filtered by name or reference and by status."""
    intakes = Intake.objects.only(
        "id",
        "patient_name",
        "date_of_birth",
        "clinic_reference",
        "status",
        "expires_at",
        "created_at",
        "updated_at",
    ).order_by("-created_at")
    search = search.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if search:
        intakes = intakes.filter(
            Q(patient_name__icontains=search) | Q(clinic_reference__iexact=search)
        )
    now = timezone.now()
    open_statuses = [Intake.Status.INVITED, Intake.Status.IN_PROGRESS]
    if status == "expired":
        intakes = intakes.filter(status__in=open_statuses, expires_at__lte=now)
    elif status in open_statuses:
        intakes = intakes.filter(status=status, expires_at__gt=now)
    elif status in (Intake.Status.SUBMITTED, Intake.Status.CANCELLED):
        intakes = intakes.filter(status=status)
    return intakes


def audit_trail(intake: Intake) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(intake_id=intake.pk).order_by("created_at", "id")
