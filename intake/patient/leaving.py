"""Patient pages for leaving: answer again here, finish later, the page after it, the PDF copy."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import ratelimit, services
from ..models import Intake
from ..ratelimit import PATIENT_COPIES, PATIENT_COPY_WINDOW
from ..summary.patient_copy import NotTheSendingDevice, patient_copy_filename, patient_copy_pdf
from . import device, flow
from .views import _finish, closed_page, patient_page


@never_cache
@require_GET
def copy_pdf(request):
    """The patient's copy of what they sent, while the session that sent it lasts."""
    intake = flow.session_intake(request)
    if intake is None or intake.status != Intake.Status.SUBMITTED:
        return redirect("patient:start")
    device.attach(request)
    copies_key = f"patient-copy:{intake.pk}"
    if ratelimit.is_limited(copies_key, limit=PATIENT_COPIES):  # the session stays open
        response = render(request, "patient/closed.html", {"reason": "too_many"}, status=429)
        response["Retry-After"] = ratelimit.seconds_left(copies_key, window=PATIENT_COPY_WINDOW)
        return response
    ratelimit.count_attempt(copies_key, window=PATIENT_COPY_WINDOW)
    try:
        pdf = patient_copy_pdf(
            intake=intake,
            device=request.patient_device,
            ip_address=ratelimit.client_ip(request),
        )
    except NotTheSendingDevice:
        return closed_page(request, "no_session")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{patient_copy_filename(intake)}"'
    return response


@require_POST
@patient_page
def restart(request, intake: Intake, slug: str):
    """Answer again, on this device, a questionnaire another device holds."""
    response = next(
        (r for r in flow.responses_of(intake) if r.questionnaire_version.slug == slug), None
    )
    if response is None:
        raise Http404
    try:
        services.restart_answers(
            response=response,
            device=request.patient_device,
            ip_address=ratelimit.client_ip(request),
        )
    except services.IntakeClosed:
        return closed_page(request, intake.effective_status)
    steps = flow.steps_of(flow.responses_of(intake), request.patient_device)
    first = next((one for one in steps if one.response.pk == response.pk), None)
    return redirect("patient:step", number=first.number) if first else redirect("patient:review")


@require_POST
@patient_page
def finish(request, intake: Intake):
    """End the session at once ("Finish later"); the answers saved so far stay saved."""
    return _finish(request, intake)


@never_cache
def later(request):
    """Said after "Finish later": how to come back. Shows nothing about the intake."""
    return render(request, "patient/later.html")
