"""The way in: the invitation link, then the date of birth, before any answer is shown."""

from __future__ import annotations

from datetime import date

from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import audit, ratelimit, services
from ..models import Intake
from ..ratelimit import (
    BIRTH_DATE_TRIES,
    BIRTH_DATE_WINDOW,
    UNKNOWN_LINK_WINDOW,
    UNKNOWN_LINKS_PER_IP,
)
from . import device, flow, language
from .fields import MONTHS
from .views import closed_page


@never_cache
def enter(request, token: str):
    """Open an invitation link, then continue at a URL without the token."""
    ip_key = f"unknown-link:{ratelimit.client_ip(request)}"
    if ratelimit.is_limited(ip_key, limit=UNKNOWN_LINKS_PER_IP):
        response = closed_page(request, "too_many")
        response["Retry-After"] = ratelimit.seconds_left(ip_key, window=UNKNOWN_LINK_WINDOW)
        return response
    intake = services.intake_for_token(token)
    if intake is None:
        ratelimit.count_attempt(ip_key, window=UNKNOWN_LINK_WINDOW)
        return closed_page(request, "unknown")
    if intake.status == Intake.Status.SUBMITTED:
        flow.close_session(request)
        return render(request, "patient/done.html")
    if not intake.accepts_answers:
        return closed_page(request, intake.effective_status)
    flow.open_intake(request, intake)
    language.open_intake(request, intake)
    device.attach(request)
    audit.record(
        audit.Action.LINK_OPENED,
        intake=intake,
        actor_label="patient",
        ip_address=ratelimit.client_ip(request),
        device=request.patient_device[:8],
    )
    response = redirect("patient:verify" if intake.date_of_birth else "patient:start")
    device.remember(request, response, until=intake.expires_at)
    return response


@never_cache
@sensitive_post_parameters()
def verify(request):
    """Ask for the date of birth before showing anything; tries are limited per intake."""
    intake = flow.session_intake(request)
    if intake is None:
        return closed_page(request, "no_session")
    if not flow.opened_with_current_link(request, intake):
        return closed_page(request, "replaced")
    if not intake.accepts_answers:
        return closed_page(request, intake.effective_status)
    if flow.is_verified(request):
        return redirect("patient:start")
    key = f"birth-date:{intake.pk}"
    form = {"day": "", "month": "", "year": ""}
    error = ""
    if ratelimit.is_limited(key, limit=BIRTH_DATE_TRIES):
        return _locked(request, key)
    if request.method == "POST":
        form = {part: request.POST.get(part, "").strip()[:4] for part in form}
        given = _birth_date(form)
        if given is None:
            error = gettext(
                "Enter your date of birth as day, month and year, for example 27 3 1980."
            )
        elif given == intake.date_of_birth:
            ratelimit.reset(key)
            flow.mark_verified(request)
            return redirect("patient:start")
        else:
            tries = ratelimit.count_attempt(key, window=BIRTH_DATE_WINDOW)
            audit.record(
                audit.Action.BIRTH_DATE_FAILED,
                intake=intake,
                actor_label="patient",
                ip_address=ratelimit.client_ip(request),
            )
            if tries >= BIRTH_DATE_TRIES:
                return _locked(request, key)
            left = BIRTH_DATE_TRIES - tries
            error = ngettext(
                "That date of birth does not match our record. Check it and try again "
                "(%(left)s try left).",
                "That date of birth does not match our record. Check it and try again "
                "(%(left)s tries left).",
                left,
            ) % {"left": left}
    return render(
        request,
        "patient/verify.html",
        {"form": form, "error": error, "months": MONTHS},
        status=400 if error else 200,
    )


def _locked(request, key: str):
    """The date-of-birth pause, saying in Retry-After how many seconds are left."""
    response = render(request, "patient/verify.html", {"locked": True}, status=429)
    response["Retry-After"] = ratelimit.seconds_left(key, window=BIRTH_DATE_WINDOW)
    return response


def _birth_date(form: dict) -> date | None:
    try:
        return date(int(form["year"]), int(form["month"]), int(form["day"]))
    except (ValueError, TypeError):
        return None
