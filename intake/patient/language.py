"""The patient's language: English or Spanish, picked by the browser, chosen by the patient.

Only the patient's pages and the patient API speak the patient's language; every other page
(the clinic's, the admin) stays English. The choice is kept in the session and stored with the
intake, so the clinician knows in which language the answers were given.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services
from . import flow

SESSION_LANGUAGE = "patient_language"
DEFAULT = "en"
PATIENT_PATHS = ("/i/", "/patient/", "/api/v1/patient/")


def supported(code: str | None) -> str | None:
    """Return the supported language a code names ("es-MX" gives "es"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.lower())
    except LookupError:
        return None


def from_browser(request) -> str:
    """Return the language the browser asks for first among ours (Accept-Language), or English."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _ in translation.trans_real.parse_accept_lang_header(header):
        found = supported(code) if code != "*" else None
        if found:
            return found
    return DEFAULT


def for_request(request) -> str:
    """Return the language of a patient request: the session's choice, else the browser's."""
    session = getattr(request, "session", None)
    chosen = supported(session.get(SESSION_LANGUAGE)) if session is not None else None
    return chosen or from_browser(request)


def remember(request, code: str) -> None:
    """Keep a language for the rest of the patient's session and use it for this request."""
    request.session[SESSION_LANGUAGE] = code
    translation.activate(code)
    request.LANGUAGE_CODE = code


def open_intake(request, intake) -> None:
    """Start a patient session in the intake's language once answering began, else the browser's.

    A patient who chose Spanish keeps it on any device their link is opened on.
    """
    if intake.started_at:
        remember(request, supported(intake.language) or DEFAULT)
    services.record_language(intake=intake, language=request.LANGUAGE_CODE)


class PatientLanguage:
    """Activate the patient's language on patient pages and the patient API; English elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        patient = request.path.startswith(PATIENT_PATHS)
        code = for_request(request) if patient else DEFAULT
        translation.activate(code)
        request.LANGUAGE_CODE = code
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        if patient:
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            patch_vary_headers(response, ["Accept-Language"])
        return response


@never_cache
@require_GET
def choose(request, code: str):
    """Switch the patient's pages to English or Spanish, then return to the page they were on.

    A plain link, so it works without JavaScript; the choice is stored with the intake too.
    """
    language = supported(code)
    if language is None or language != code:
        return redirect("patient:start")
    remember(request, language)
    intake = flow.session_intake(request)
    if intake is not None and flow.opened_with_current_link(request, intake):
        services.record_language(intake=intake, language=language)
    back = request.GET.get("next", "")
    safe = back.startswith("/patient/") and url_has_allowed_host_and_scheme(back, None)
    return redirect(back if safe else "patient:start")
